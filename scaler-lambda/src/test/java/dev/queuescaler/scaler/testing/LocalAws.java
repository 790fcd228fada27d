package dev.queuescaler.scaler.testing;

import dev.queuescaler.scaler.aws.AwsClients;
import dev.queuescaler.testsupport.Dynalite;
import dev.queuescaler.testsupport.ElasticMq;
import dev.queuescaler.testsupport.FakeEcs;
import dev.queuescaler.testsupport.FakeEventBridge;
import dev.queuescaler.testsupport.FakeSsm;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
 * Every AWS dependency of the scaler on loopback: ElasticMQ (SQS), dynalite (DynamoDB) and HTTP
 * fakes for ECS, SSM and EventBridge, with SDK clients configured as in production (same timeouts
 * and retry mode) except for the endpoint and dummy credentials.
 */
public final class LocalAws implements AutoCloseable {

  public static final String TABLE = "queue-scaler-state";

  public final ElasticMq sqsServer = new ElasticMq();
  public final Dynalite dynamoDbServer = new Dynalite();
  public final FakeEcs ecsServer = new FakeEcs();
  public final FakeSsm ssmServer;
  public final FakeEventBridge eventsServer = new FakeEventBridge();

  public final SqsClient sqs;
  public final DynamoDbClient dynamoDb;
  public final EcsClient ecs;
  public final SsmClient ssm;
  public final EventBridgeClient eventBridge;

  /** SSM pages of three parameters, shorter than SSM's ten, to exercise pagination. */
  public LocalAws() {
    this(3);
  }

  public LocalAws(int ssmPageSize) {
    this.ssmServer = new FakeSsm(ssmPageSize);
    sqs = configure(SqsClient.builder(), sqsServer.endpoint()).build();
    dynamoDb = configure(DynamoDbClient.builder(), dynamoDbServer.endpoint()).build();
    ecs = configure(EcsClient.builder(), ecsServer.endpoint()).build();
    ssm = configure(SsmClient.builder(), ssmServer.endpoint()).build();
    eventBridge = configure(EventBridgeClient.builder(), eventsServer.endpoint()).build();
    createStateTable(TABLE);
  }

  public <
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

  /** Creates a queue and returns its URL. */
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

  /** Registers a complete target in SSM under {@code prefix}. */
  public void putTarget(
      String prefix, String target, String queueUrl, String service, Map<String, String> tunables) {
    ssmServer.put(prefix + "/" + target + "/queue-url", queueUrl);
    ssmServer.put(prefix + "/" + target + "/cluster", "workers");
    ssmServer.put(prefix + "/" + target + "/service", service);
    ssmServer.putTarget(prefix, target, tunables);
  }

  /** Environment variables that point the standard SDK settings at these servers. */
  public Map<String, String> sdkEnvironment() {
    return Map.of(
        "AWS_REGION", "us-east-1",
        "AWS_ACCESS_KEY_ID", "test",
        "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_ENDPOINT_URL_SQS", sqsServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_ECS", ecsServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_SSM", ssmServer.endpoint().toString(),
        "AWS_ENDPOINT_URL_EVENTBRIDGE", eventsServer.endpoint().toString());
  }

  @Override
  public void close() {
    sqs.close();
    dynamoDb.close();
    ecs.close();
    ssm.close();
    eventBridge.close();
    eventsServer.close();
    ssmServer.close();
    ecsServer.close();
    dynamoDbServer.close();
    sqsServer.close();
  }
}
