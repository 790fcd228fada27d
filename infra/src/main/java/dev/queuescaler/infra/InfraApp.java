package dev.queuescaler.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.constructs.Node;

/**
 * The CDK app ({@code cdk.json} runs it): one stack, {@value QueueDepthAutoscalerStack#NAME},
 * checked by cdk-nag's AwsSolutions rules. Environment-agnostic unless {@code vpcId} is given (a
 * VPC lookup needs the account and region of the current credentials).
 */
public final class InfraApp {

  private InfraApp() {}

  public static void main(String[] args) {
    App app = new App();
    build(app);
    app.synth();
  }

  /** Builds the stack into {@code app}; the tests call this too. */
  public static QueueDepthAutoscalerStack build(App app) {
    return build(app, System.getenv());
  }

  /**
   * Builds the stack into {@code app}, taking the CLI's {@code CDK_DEFAULT_ACCOUNT} and {@code
   * CDK_DEFAULT_REGION} from {@code environment} when a VPC is looked up.
   */
  static QueueDepthAutoscalerStack build(App app, Map<String, String> environment) {
    rejectUnknownKeys(app.getNode());
    StackSettings settings = StackSettings.fromContext(app.getNode());
    // The stack's own keys: the app reads them and hands them over; the construct reads no context.
    TelemetrySettings telemetry = TelemetrySettings.fromContext(app.getNode());
    StackProps.Builder props =
        StackProps.builder()
            .description(
                "Queue-depth autoscaler: SQS-driven ECS Fargate workers scaled in a minute");
    if (settings.vpcId().isPresent()) {
      props.env(
          Environment.builder()
              .account(environment.get("CDK_DEFAULT_ACCOUNT"))
              .region(environment.get("CDK_DEFAULT_REGION"))
              .build());
    }
    QueueDepthAutoscalerStack stack =
        new QueueDepthAutoscalerStack(
            app, QueueDepthAutoscalerStack.NAME, props.build(), settings, telemetry);
    ReviewedNagFindings.apply(stack);
    Aspects.of(app).add(new AwsSolutionsChecks());
    return stack;
  }

  /**
   * CDK's own context keys: feature flags ({@code @aws-cdk/...}), what the CLI passes and caches
   * ({@code aws:cdk:...}, lookups such as {@code vpc-provider:...}) all start with {@code @} or
   * hold a colon; {@code cdk acknowledge} writes this one.
   */
  private static final Set<String> CDK_KEYS = Set.of("acknowledged-issue-numbers");

  /**
   * A mistyped key ({@code -c maxTask=20}) would otherwise be ignored: the stack would deploy its
   * default and synthesis pass. Every key must be one of the stack's settings or CDK's own.
   */
  static void rejectUnknownKeys(Node node) {
    Set<String> known = new TreeSet<>(StackSettings.KEYS);
    known.addAll(TelemetrySettings.KEYS);
    for (String key : contextKeys(node)) {
      if (!key.startsWith("@")
          && !key.contains(":")
          && !CDK_KEYS.contains(key)
          && !known.contains(key)) {
        throw new IllegalArgumentException(
            "context "
                + key
                + " is not a setting of this stack; the settings are "
                + String.join(", ", known)
                + " (see docs/deploy.md)");
      }
    }
  }

  private static Set<String> contextKeys(Node node) {
    Object all = node.getAllContext();
    Set<String> keys = new TreeSet<>();
    if (all instanceof Map<?, ?> map) {
      map.keySet().forEach(key -> keys.add(key.toString()));
    } else if (all instanceof com.fasterxml.jackson.databind.JsonNode json) {
      json.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }
}
