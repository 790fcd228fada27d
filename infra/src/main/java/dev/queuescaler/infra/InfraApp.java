package dev.queuescaler.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

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
    StackSettings settings = StackSettings.fromContext(app.getNode());
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
        new QueueDepthAutoscalerStack(app, QueueDepthAutoscalerStack.NAME, props.build(), settings);
    ReviewedNagFindings.apply(stack);
    Aspects.of(app).add(new AwsSolutionsChecks());
    return stack;
  }
}
