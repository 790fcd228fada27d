package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queuescaler.testsupport.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A deploy rehearsal: the real app synthesized with {@code cdk.json}'s context (the template {@code
 * cdk deploy} would upload), linted with cfn-lint, created in moto's CloudFormation after seeding
 * what {@code cdk bootstrap} makes, and then driven by the scaler CLI against what the stack
 * created, found from the stack's resources and outputs. Then the rules of redeploying over live
 * tuning, shown on stack updates.
 *
 * <p>moto 5.2.1 does not model some resource types; it skips them ({@link #SKIPPED_BY_MOTO},
 * checked exactly, so a new type it ignores is noticed), and those are covered by the template
 * assertions of {@code QueueDepthAutoscalerStackTest} instead. One consequence needs handling here:
 * a {@code Ref} to the skipped alias resolves to nothing in moto, and an IAM policy whose resource
 * is empty fails the stack. So, for moto only, the copy of the template it gets has each {@code
 * Ref} to the alias replaced with the alias' ARN spelled out (the function's ARN and {@code
 * :live}), which is what the Ref means in AWS, and a Lambda permission on the alias is granted on
 * its function (moto looks the alias up and does not find it), and so is the checks queue's event
 * source mapping. What {@code cdk deploy} sends is not changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployRehearsalIT {

  static final Set<String> SKIPPED_BY_MOTO =
      Set.of(
          "AWS::Lambda::Alias",
          "AWS::Lambda::EventInvokeConfig",
          "AWS::Scheduler::Schedule",
          "AWS::CloudWatch::Alarm",
          "AWS::SQS::QueuePolicy",
          "AWS::SNS::TopicPolicy");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STACK = QueueDepthAutoscalerStack.NAME;
  private static final String BOOTSTRAP_QUALIFIER = "hnb659fds";

  private static MotoServer moto;
  private static SdkHttpClient http;
  private static CloudFormationClient cloudFormation;
  private static S3Client s3;
  private static SsmClient ssm;
  private static SqsClient sqs;
  private static EcsClient ecs;
  private static LambdaClient lambda;
  private static SnsClient sns;
  private static Path assembly;

  @BeforeAll
  static void startEmulatorAndSynthesize() throws IOException {
    moto = new MotoServer();
    http = UrlConnectionHttpClient.create();
    cloudFormation = client(CloudFormationClient.builder());
    s3 = client(S3Client.builder().forcePathStyle(true));
    ssm = client(SsmClient.builder());
    sqs = client(SqsClient.builder());
    ecs = client(EcsClient.builder());
    lambda = client(LambdaClient.builder());
    sns = client(SnsClient.builder());
    assembly = synthesize(Map.of());
  }

  @AfterAll
  static void stopEmulator() {
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  @Order(1)
  void theTemplateCdkDeployWouldUseLintsWithoutErrors() throws Exception {
    Process lint =
        new ProcessBuilder(List.of("cfn-lint", "--format", "json", template(assembly).toString()))
            .redirectErrorStream(false)
            .start();
    String out = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();

    List<String> errors = new ArrayList<>();
    for (JsonNode finding : JSON.readTree(out.isBlank() ? "[]" : out)) {
      if (finding.path("Level").asText().equals("Error")) {
        errors.add(finding.at("/Rule/Id").asText() + " " + finding.path("Message").asText());
      }
    }
    assertThat(errors).as("cfn-lint errors").isEmpty();
    assertThat(lint.exitValue() & 2).as("cfn-lint's error bit").isZero();
  }

  @Test
  @Order(2)
  void theStackIsCreatedAndMotoSkipsExactlyTheKnownTypes() throws Exception {
    String account = "123456789012"; // moto's default account
    ssm.putParameter(
        p ->
            p.name("/cdk-bootstrap/" + BOOTSTRAP_QUALIFIER + "/version")
                .value("30")
                .type("String")
                .overwrite(true));
    s3.createBucket(b -> b.bucket(assetBucket(account)));

    Stack stack = deploy(assembly, account, true);

    assertThat(stack.stackStatusAsString()).isEqualTo("CREATE_COMPLETE");
    Set<String> created = new TreeSet<>();
    resources().forEach(r -> created.add(r.logicalResourceId()));
    Set<String> skipped = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> all =
        JSON.readTree(template(assembly).toFile()).path("Resources").fields();
    all.forEachRemaining(
        r -> {
          if (!created.contains(r.getKey())) {
            skipped.add(r.getValue().path("Type").asText());
          }
        });
    assertThat(skipped).as("resource types moto did not create").isEqualTo(SKIPPED_BY_MOTO);
  }

  @Test
  @Order(3)
  void theAlarmTopicExistsWithoutASubscriptionUntilAnAddressIsGiven() {
    // cdk.json's alarmEmail is empty: the alarms have their topic, and nobody is subscribed yet.
    String topic = output("AlarmTopicArn");

    assertThat(sns.getTopicAttributes(g -> g.topicArn(topic)).attributes())
        .containsEntry("TopicArn", topic);
    assertThat(subscriptions(topic)).isEmpty();
  }

  @Test
  @Order(4)
  void theScalerFunctionIsCreatedWithOneConcurrentRun() {
    String function = physicalId("AWS::Lambda::Function", "QueueDepthScalerRuntimeFunction");

    assertThat(
            lambda
                .getFunctionConcurrency(g -> g.functionName(function))
                .reservedConcurrentExecutions())
        .isEqualTo(1);
  }

  @Test
  @Order(5)
  void theScalerCliScalesTheStacksServiceFromItsQueueAndFollowsSsm() throws Exception {
    String queueUrl = output("QueueUrl");
    sendMessages(queueUrl, 250);

    Run first = scaler("once");
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(desiredCount()).as("ceil(250 / backlog-per-task 100)").isEqualTo(3);

    String prefix = output("ParameterPrefix");
    ssm.putParameter(
        p -> p.name(prefix + "/backlog-per-task").value("50").type("String").overwrite(true));
    Run second = scaler("once");
    assertThat(second.exit()).as(second.stderr()).isZero();
    assertThat(desiredCount()).as("the tuned value, on the next cycle").isEqualTo(5);

    sendMessages(queueUrl, 250);
    Run dry = scaler("once", "--dry-run");
    assertThat(dry.exit()).as(dry.stderr()).isZero();
    assertThat(desiredCount()).as("a dry run changes nothing").isEqualTo(5);
    JsonNode line = JSON.readTree(dry.stdout().strip());
    assertThat(line.path("dryRun").asBoolean()).isTrue();
    assertThat(line.path("desired").asInt()).isEqualTo(10);
  }

  @Test
  @Order(6)
  void anUnrelatedRedeployKeepsTunedValuesAndTheDesiredCount() throws Exception {
    String prefix = output("ParameterPrefix");

    Stack updated = deploy(synthesize(Map.of("workerShutdownSeconds", 30)), "123456789012", false);

    assertThat(updated.stackStatusAsString()).isEqualTo("UPDATE_COMPLETE");
    assertThat(parameter(prefix + "/backlog-per-task"))
        .as("its template value did not change: CloudFormation leaves it alone")
        .isEqualTo("50");
    assertThat(desiredCount()).as("the template has no DesiredCount to reset it").isEqualTo(5);
  }

  @Test
  @Order(7)
  void aRedeployThatChangesAKeysTemplateValueOverwritesTheTunedValue() throws Exception {
    String prefix = output("ParameterPrefix");
    ssm.putParameter(p -> p.name(prefix + "/max-tasks").value("7").type("String").overwrite(true));

    Stack updated =
        deploy(
            synthesize(Map.of("workerShutdownSeconds", 30, "maxTasks", 20)), "123456789012", false);

    assertThat(updated.stackStatusAsString()).isEqualTo("UPDATE_COMPLETE");
    assertThat(parameter(prefix + "/max-tasks"))
        .as("-c maxTasks=20 is a decision too: the template wins for that key")
        .isEqualTo("20");
    assertThat(parameter(prefix + "/backlog-per-task")).isEqualTo("50");
  }

  @Test
  @Order(8)
  void aRedeployWithAlarmEmailSubscribesThatAddressToTheAlarmTopic() throws Exception {
    Stack updated =
        deploy(
            synthesize(
                Map.of(
                    "workerShutdownSeconds", 30, "maxTasks", 20, "alarmEmail", "ops@example.com")),
            "123456789012",
            false);

    assertThat(updated.stackStatusAsString()).isEqualTo("UPDATE_COMPLETE");
    List<Subscription> subscriptions = subscriptions(output("AlarmTopicArn"));
    assertThat(subscriptions).hasSize(1);
    assertThat(subscriptions.get(0).protocol()).isEqualTo("email");
    assertThat(subscriptions.get(0).endpoint()).isEqualTo("ops@example.com");
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Subscription> subscriptions(String topicArn) {
    return sns.listSubscriptionsByTopic(l -> l.topicArn(topicArn)).subscriptions();
  }

  /** The app with cdk.json's context (and overrides), synthesized as {@code cdk synth} would. */
  private static Path synthesize(Map<String, Object> overrides) throws IOException {
    Map<String, Object> context = new HashMap<>();
    JSON.readTree(Path.of("cdk.json").toFile())
        .path("context")
        .fields()
        .forEachRemaining(
            e -> context.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    context.putAll(overrides);
    Path out = Files.createTempDirectory("cdk.out");
    App app = new App(AppProps.builder().outdir(out.toString()).context(context).build());
    InfraApp.build(app);
    app.synth();
    return out;
  }

  private static Path template(Path assembly) {
    return assembly.resolve(STACK + ".template.json");
  }

  private static String assetBucket(String account) {
    return "cdk-" + BOOTSTRAP_QUALIFIER + "-assets-" + account + "-us-east-1";
  }

  /**
   * What {@code cdk deploy} does, as far as moto needs it: publish the file assets to the bootstrap
   * bucket, upload the template (it is over CloudFormation's 51,200-byte inline limit), then create
   * or update the stack from its URL.
   */
  private static Stack deploy(Path assembly, String account, boolean create) throws IOException {
    String bucket = assetBucket(account);
    JsonNode assets = JSON.readTree(assembly.resolve(STACK + ".assets.json").toFile());
    for (Iterator<JsonNode> it = assets.path("files").elements(); it.hasNext(); ) {
      JsonNode asset = it.next();
      Path file = assembly.resolve(asset.at("/source/path").asText());
      for (JsonNode destination : asset.path("destinations")) {
        s3.putObject(
            p -> p.bucket(bucket).key(destination.path("objectKey").asText()),
            RequestBody.fromFile(file));
      }
    }
    String key = "rehearsal-" + System.nanoTime() + ".json";
    s3.putObject(
        p -> p.bucket(bucket).key(key), RequestBody.fromString(forMoto(template(assembly))));
    String url = "https://" + bucket + ".s3.amazonaws.com/" + key;
    if (create) {
      cloudFormation.createStack(
          c -> c.stackName(STACK).templateURL(url).capabilities(Capability.CAPABILITY_IAM));
    } else {
      cloudFormation.updateStack(
          u -> u.stackName(STACK).templateURL(url).capabilities(Capability.CAPABILITY_IAM));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      Stack stack = cloudFormation.describeStacks(d -> d.stackName(STACK)).stacks().get(0);
      if (!stack.stackStatusAsString().endsWith("IN_PROGRESS") || System.nanoTime() > deadline) {
        return stack;
      }
      sleep(200);
    }
  }

  /** The template with each Ref to the skipped alias spelled out as the alias' ARN (see above). */
  private static String forMoto(Path template) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(template.toFile());
    String alias = null;
    String function = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> resource = it.next();
      if (resource.getValue().path("Type").asText().equals("AWS::Lambda::Alias")) {
        alias = resource.getKey();
        function = resource.getValue().at("/Properties/FunctionName/Ref").asText();
      }
    }
    assertThat(alias).as("the scaler's alias in the template").isNotNull();
    // moto looks a permission's function up, and the alias it does not model is not there: a
    // permission on the alias (the change-event rule's) is granted on the function in moto. The
    // same for the checks queue's event source mapping, which names the alias as
    // "<function>:live".
    for (JsonNode resource : root.path("Resources")) {
      String type = resource.path("Type").asText();
      if ((type.equals("AWS::Lambda::Permission")
              && resource.at("/Properties/FunctionName/Ref").asText().equals(alias))
          || (type.equals("AWS::Lambda::EventSourceMapping")
              && resource.at("/Properties/FunctionName").toString().contains(alias))) {
        ((ObjectNode) resource.path("Properties"))
            .set("FunctionName", JSON.createObjectNode().put("Ref", function));
      }
    }
    ObjectNode aliasArn = JSON.createObjectNode();
    ArrayNode join = aliasArn.putArray("Fn::Join");
    join.add("");
    ArrayNode parts = join.addArray();
    parts.addObject().putArray("Fn::GetAtt").add(function).add("Arn");
    parts.add(":live");
    return JSON.writeValueAsString(replaceRefs(root, alias, aliasArn));
  }

  private static JsonNode replaceRefs(JsonNode node, String logicalId, JsonNode replacement) {
    if (node.isObject()) {
      if (node.size() == 1 && node.path("Ref").asText().equals(logicalId)) {
        return replacement.deepCopy();
      }
      ObjectNode copy = JSON.createObjectNode();
      node.fields()
          .forEachRemaining(
              e -> copy.set(e.getKey(), replaceRefs(e.getValue(), logicalId, replacement)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(replaceRefs(e, logicalId, replacement)));
      return copy;
    }
    return node;
  }

  private static List<StackResourceSummary> resources() {
    return cloudFormation.listStackResources(l -> l.stackName(STACK)).stackResourceSummaries();
  }

  private static String physicalId(String type, String logicalPrefix) {
    return resources().stream()
        .filter(r -> r.resourceType().equals(type))
        .filter(r -> r.logicalResourceId().startsWith(logicalPrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " " + logicalPrefix + " in the stack"))
        .physicalResourceId();
  }

  private static String output(String key) {
    return cloudFormation.describeStacks(d -> d.stackName(STACK)).stacks().get(0).outputs().stream()
        .filter(o -> o.outputKey().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no output " + key))
        .outputValue();
  }

  private static String parameter(String name) {
    return ssm.getParameter(g -> g.name(name)).parameter().value();
  }

  private static int desiredCount() {
    String cluster = physicalId("AWS::ECS::Cluster", "WorkerCluster");
    String service = physicalId("AWS::ECS::Service", "WorkerService");
    return ecs.describeServices(d -> d.cluster(cluster).services(service))
        .services()
        .get(0)
        .desiredCount();
  }

  private static void sendMessages(String queueUrl, int count) {
    for (int sent = 0; sent < count; sent += 10) {
      List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
      for (int i = sent; i < Math.min(count, sent + 10); i++) {
        batch.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .messageBody(
                    "{\"id\":\"m" + i + "\",\"workMillis\":0,\"fail\":false,\"payload\":\"\"}")
                .build());
      }
      sqs.sendMessageBatch(s -> s.queueUrl(queueUrl).entries(batch));
    }
  }

  private record Run(int exit, String stdout, String stderr) {}

  /**
   * The scaler CLI as the Lambda would run it: its environment is the deployed function's own
   * (parameter path, state table, event bus, change queue), read from the stack; only the endpoint
   * points at moto.
   */
  private static Run scaler(String... args) throws Exception {
    String function = physicalId("AWS::Lambda::Function", "QueueDepthScalerRuntimeFunction");
    Map<String, String> functionEnv =
        lambda.getFunctionConfiguration(g -> g.functionName(function)).environment().variables();
    List<String> command = new ArrayList<>(List.of("java", "-jar", scalerJar()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    for (String name :
        List.of(
            "SCALER_PARAMETER_PATH",
            "SCALER_STATE_TABLE",
            "SCALER_EVENT_BUS",
            "SCALER_CHANGE_QUEUE_URL",
            "SCALER_METRICS_NAMESPACE")) {
      assertThat(functionEnv).as("the function's environment").containsKey(name);
      env.put(name, functionEnv.get(name));
    }
    env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR");
    Path stdout = Files.createTempFile("scaler", ".out");
    Path stderr = Files.createTempFile("scaler", ".err");
    Process process =
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
    return new Run(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
  }

  /** The jar the stack deploys: the one built into the infra artifact. */
  private static String scalerJar() {
    return ScalerCode.jar().toString();
  }

  private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(
      B builder) {
    return builder
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(http)
        .build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
