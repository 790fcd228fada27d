package dev.queuescaler.scaler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.testsupport.Dynalite;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FakeAwsServer;
import dev.queuescaler.testsupport.FakeEcs;
import dev.queuescaler.testsupport.FakeEventBridge;
import dev.queuescaler.testsupport.FakeSsm;
import dev.queuescaler.testsupport.MotoServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Every AWS dependency of the scaler on loopback, with SDK clients configured as in production
 * (same timeouts and retry mode) except for the endpoint and dummy credentials: ElasticMQ (SQS) and
 * dynalite (DynamoDB) always, and for ECS, SSM and EventBridge either moto ({@link #withMoto()}:
 * AWS's behaviour, written by others) or HTTP fakes ({@link #withFakes()}: for tests that inject
 * faults, such as throttling, 5xx or a service whose updates fail).
 */
public final class LocalAws implements AutoCloseable {

  public static final String TABLE = "queue-scaler-state";
  public static final String CLUSTER = "workers";

  /** The HTTP fakes, for tests that inject faults. */
  public record Fakes(FakeEcs ecs, FakeSsm ssm, FakeEventBridge events) {}

  public final ElasticMq sqsServer = new ElasticMq();
  public final Dynalite dynamoDbServer = new Dynalite();
  private final Optional<Fakes> fakes;
  private final Optional<MotoServer> moto;

  public final SqsClient sqs;
  public final DynamoDbClient dynamoDb;
  public final EcsClient ecs;
  public final SsmClient ssm;
  public final EventBridgeClient eventBridge;
  private final Optional<SqsClient> motoSqs;
  private Optional<String> eventsQueueUrl = Optional.empty();

  /** HTTP fakes for ECS, SSM (pages of three, shorter than SSM's ten) and EventBridge. */
  public static LocalAws withFakes() {
    return withFakes(3);
  }

  /** HTTP fakes, SSM pages of {@code ssmPageSize} (SSM's own is ten). */
  public static LocalAws withFakes(int ssmPageSize) {
    return new LocalAws(
        Optional.of(new Fakes(new FakeEcs(), new FakeSsm(ssmPageSize), new FakeEventBridge())));
  }

  /** moto for ECS, SSM and EventBridge. */
  public static LocalAws withMoto() {
    return new LocalAws(Optional.empty());
  }

  private LocalAws(Optional<Fakes> fakes) {
    this.fakes = fakes;
    this.moto = fakes.isPresent() ? Optional.empty() : Optional.of(new MotoServer());
    URI ecsEndpoint = endpoint(Fakes::ecs);
    URI ssmEndpoint = endpoint(Fakes::ssm);
    URI eventsEndpoint = endpoint(Fakes::events);
    sqs = configure(SqsClient.builder(), sqsServer.endpoint()).build();
    dynamoDb = configure(DynamoDbClient.builder(), dynamoDbServer.endpoint()).build();
    ecs = configure(EcsClient.builder(), ecsEndpoint).build();
    ssm = configure(SsmClient.builder(), ssmEndpoint).build();
    eventBridge = configure(EventBridgeClient.builder(), eventsEndpoint).build();
    motoSqs = moto.map(m -> configure(SqsClient.builder(), m.endpoint()).build());
    createStateTable(TABLE);
    if (moto.isPresent()) {
      createClusterForWorkers(ecs, CLUSTER);
    }
  }

  /** Creates {@code cluster} in moto's ECS and registers the task definition its services run. */
  public static void createClusterForWorkers(EcsClient ecs, String cluster) {
    ecs.createCluster(c -> c.clusterName(cluster));
    ecs.registerTaskDefinition(
        t ->
            t.family("worker")
                .containerDefinitions(
                    c -> c.name("worker").image("worker:latest").memory(512).essential(true)));
  }

  /** The HTTP fakes; a test that injects faults must run with {@link #withFakes()}. */
  public Fakes fakes() {
    return fakes.orElseThrow(
        () -> new IllegalStateException("fault injection needs LocalAws.withFakes()"));
  }

  /** Creates (or sets) the service {@code name} in cluster {@value #CLUSTER} at {@code desired}. */
  public void service(String name, int desired) {
    if (fakes.isPresent()) {
      fakes.get().ecs().put(CLUSTER, name, desired, desired, 0);
      return;
    }
    boolean exists =
        ecs.describeServices(d -> d.cluster(CLUSTER).services(name)).services().stream()
            .anyMatch(s -> "ACTIVE".equals(s.status()));
    if (exists) {
      ecs.updateService(u -> u.cluster(CLUSTER).service(name).desiredCount(desired));
    } else {
      ecs.createService(
          c -> c.cluster(CLUSTER).serviceName(name).taskDefinition("worker").desiredCount(desired));
    }
  }

  /** The service's desired count, as DescribeServices reports it. */
  public int desired(String name) {
    return ecs.describeServices(d -> d.cluster(CLUSTER).services(name))
        .services()
        .get(0)
        .desiredCount();
  }

  /** Puts one SSM parameter (String, overwriting). */
  public void putParameter(String name, String value) {
    if (fakes.isPresent()) {
      fakes.get().ssm().put(name, value);
    } else {
      ssm.putParameter(p -> p.name(name).value(value).type("String").overwrite(true));
    }
  }

  /** Deletes one SSM parameter, if it exists. */
  public void deleteParameter(String name) {
    if (fakes.isPresent()) {
      fakes.get().ssm().remove(name);
    } else {
      ssm.deleteParameters(d -> d.names(name));
    }
  }

  /**
   * Starts recording the scaler's events: on moto a rule on the default bus sends them to a moto
   * queue, as a rule would in AWS; the fakes record every PutEvents entry anyway.
   */
  public void recordEvents() {
    if (moto.isEmpty() || eventsQueueUrl.isPresent()) {
      return;
    }
    SqsClient queues = motoSqs.orElseThrow();
    String url = queues.createQueue(q -> q.queueName("scaler-events")).queueUrl();
    String arn =
        queues
            .getQueueAttributes(
                g ->
                    g.queueUrl(url)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
    eventBridge.putRule(
        r -> r.name("scaler-decisions").eventPattern("{\"source\":[\"queue-scaler\"]}"));
    eventBridge.putTargets(t -> t.rule("scaler-decisions").targets(x -> x.id("queue").arn(arn)));
    eventsQueueUrl = Optional.of(url);
  }

  /**
   * The events the scaler published, each as {@code {source, detailType, bus, detail}} with the
   * detail as the JSON text it was sent as.
   */
  public List<JsonNode> events() {
    List<JsonNode> events = new java.util.ArrayList<>();
    if (fakes.isPresent()) {
      for (JsonNode entry : fakes.get().events().entries()) {
        events.add(
            event(
                entry.path("Source").asText(),
                entry.path("DetailType").asText(),
                entry.path("EventBusName").asText(),
                entry.path("Detail").asText()));
      }
      return events;
    }
    SqsClient queues = motoSqs.orElseThrow();
    String url =
        eventsQueueUrl.orElseThrow(() -> new IllegalStateException("recordEvents() first"));
    while (true) {
      var messages = queues.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages();
      if (messages.isEmpty()) {
        return events;
      }
      for (var message : messages) {
        try {
          JsonNode event = JSON.readTree(message.body());
          events.add(
              event(
                  event.path("source").asText(),
                  event.path("detail-type").asText(),
                  "default",
                  JSON.writeValueAsString(event.path("detail"))));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  private static JsonNode event(String source, String detailType, String bus, String detail) {
    return JSON.createObjectNode()
        .put("source", source)
        .put("detailType", detailType)
        .put("bus", bus)
        .put("detail", detail);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  public static <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
                  & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
      B configure(B builder, URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(AwsClients.overrides(List.of()));
  }

  /** A fresh EventBridge client on this run's EventBridge endpoint, with the given interceptors. */
  public EventBridgeClient eventBridgeClient(List<ExecutionInterceptor> interceptors) {
    return configure(EventBridgeClient.builder(), endpoint(Fakes::events))
        .overrideConfiguration(AwsClients.overrides(interceptors))
        .build();
  }

  /** A fresh SQS client on this run's SQS server, with the given interceptors. */
  public SqsClient sqsClient(List<ExecutionInterceptor> interceptors) {
    return configure(SqsClient.builder(), sqsServer.endpoint())
        .overrideConfiguration(AwsClients.overrides(interceptors))
        .build();
  }

  /** A fresh DynamoDB client on this run's DynamoDB server, with the given interceptors. */
  public DynamoDbClient dynamoDbClient(List<ExecutionInterceptor> interceptors) {
    return configure(DynamoDbClient.builder(), dynamoDbServer.endpoint())
        .overrideConfiguration(AwsClients.overrides(interceptors))
        .build();
  }

  /**
   * A fresh ECS client on this run's ECS endpoint, with the given interceptors (to count calls).
   */
  public EcsClient ecsClient(List<ExecutionInterceptor> interceptors) {
    return configure(EcsClient.builder(), endpoint(Fakes::ecs))
        .overrideConfiguration(AwsClients.overrides(interceptors))
        .build();
  }

  /** The table as infra creates it: on-demand, partition key {@code target} (string). */
  public void createStateTable(String name) {
    dynamoDb.createTable(
        table ->
            table
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    a -> a.attributeName("target").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("target").keyType(KeyType.HASH)));
  }

  /**
   * Deletes every stored decision state: tests reuse target names ("orders") on different queues
   * and services, and a state left by one test (its history, its pending count) would rightly hold
   * the next test's cycle back.
   */
  public void clearState() {
    dynamoDb
        .scan(s -> s.tableName(TABLE))
        .items()
        .forEach(
            item ->
                dynamoDb.deleteItem(
                    d -> d.tableName(TABLE).key(Map.of("target", item.get("target")))));
  }

  public String createQueue(String name) {
    return sqs.createQueue(q -> q.queueName(name)).queueUrl();
  }

  /** Sends {@code count} messages in batches of ten. */
  public void send(String queueUrl, int count) {
    for (int sent = 0; sent < count; sent += 10) {
      int batch = Math.min(10, count - sent);
      int first = sent;
      sqs.sendMessageBatch(
          b ->
              b.queueUrl(queueUrl)
                  .entries(
                      java.util.stream.IntStream.range(0, batch)
                          .mapToObj(
                              i ->
                                  software.amazon.awssdk.services.sqs.model
                                      .SendMessageBatchRequestEntry.builder()
                                      .id("m" + (first + i))
                                      .messageBody("{\"n\":" + (first + i) + "}")
                                      .build())
                          .toList()));
    }
  }

  /**
   * Sends Parameter Store's change event for each of {@code parameterNames} (full names), ten a
   * call, as the stack's rule puts them on the scaler's change queue.
   */
  public void sendParameterChanges(String queueUrl, List<String> parameterNames) {
    for (int sent = 0; sent < parameterNames.size(); sent += 10) {
      List<String> batch = parameterNames.subList(sent, Math.min(parameterNames.size(), sent + 10));
      int first = sent;
      sqs.sendMessageBatch(
          b ->
              b.queueUrl(queueUrl)
                  .entries(
                      java.util.stream.IntStream.range(0, batch.size())
                          .mapToObj(
                              i ->
                                  software.amazon.awssdk.services.sqs.model
                                      .SendMessageBatchRequestEntry.builder()
                                      .id("c" + (first + i))
                                      .messageBody(parameterStoreChange(batch.get(i)))
                                      .build())
                          .toList()));
    }
  }

  /** Parameter Store's change event for {@code name}, as EventBridge delivers it. */
  public static String parameterStoreChange(String name) {
    return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
        + "\"detail-type\":\"Parameter Store Change\",\"source\":\"aws.ssm\","
        + "\"account\":\"123456789012\",\"time\":\"2026-11-28T12:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[\"arn:aws:ssm:us-east-1:123456789012:parameter"
        + name
        + "\"],\"detail\":{\"operation\":\"Update\",\"name\":\""
        + name
        + "\",\"type\":\"String\",\"description\":\"\"}}";
  }

  /** Registers a complete target in SSM under {@code prefix}. */
  public void putTarget(
      String prefix, String target, String queueUrl, String service, Map<String, String> tunables) {
    putParameter(prefix + "/" + target + "/queue-url", queueUrl);
    putParameter(prefix + "/" + target + "/cluster", CLUSTER);
    putParameter(prefix + "/" + target + "/service", service);
    tunables.forEach((key, value) -> putParameter(prefix + "/" + target + "/" + key, value));
  }

  /** Environment variables that point the standard SDK settings at these servers. */
  public Map<String, String> sdkEnvironment() {
    return Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "test",
        "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_ECS", endpoint(Fakes::ecs).toString(),
        "AWS_ENDPOINT_URL_SSM", endpoint(Fakes::ssm).toString(),
        "AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint(Fakes::events).toString());
  }

  /** Where a control-plane service is served: its fake, or moto. */
  private URI endpoint(java.util.function.Function<Fakes, FakeAwsServer> fake) {
    return fakes.map(f -> fake.apply(f).endpoint()).orElseGet(() -> moto.orElseThrow().endpoint());
  }

  @Override
  public void close() {
    sqs.close();
    dynamoDb.close();
    ecs.close();
    ssm.close();
    eventBridge.close();
    motoSqs.ifPresent(SqsClient::close);
    fakes.ifPresent(
        f -> {
          f.events().close();
          f.ssm().close();
          f.ecs().close();
        });
    moto.ifPresent(MotoServer::close);
    dynamoDbServer.close();
    sqsServer.close();
  }
}
