package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** How traces and logs leave the stack's runtimes, per context, with cdk-nag on. */
class TelemetryTemplateTest {

  private static final String LAYER =
      "arn:aws:lambda:us-east-1:901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1";

  private static Template synthesize(Map<String, Object> context) {
    App app = new App(AppProps.builder().context(context).build());
    QueueDepthAutoscalerStack stack = InfraApp.build(app);
    app.synth();
    assertThat(
            Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
        .as("cdk-nag")
        .isEmpty();
    return Template.fromStack(stack);
  }

  private static Object variable(String name, String value) {
    return Map.of("Name", name, "Value", value);
  }

  @Test
  void theWorkerTaskRunsTheCollectorSidecarThatTakesEitherTracersSpans() {
    Template template = synthesize(Map.of());

    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            Match.arrayWith(
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Name",
                            "Collector",
                            "Image",
                            WorkerService.COLLECTOR_IMAGE,
                            "Essential",
                            false,
                            "Environment",
                            List.of(variable("AOT_CONFIG_CONTENT", WorkerService.COLLECTOR_CONFIG)),
                            "HealthCheck",
                            Match.objectLike(Map.of("Command", List.of("CMD", "/healthcheck"))))),
                    Match.objectLike(
                        Map.of(
                            "Name",
                            "Worker",
                            "DependsOn",
                            List.of(
                                Map.of("ContainerName", "Collector", "Condition", "START"))))))));
    workerHas(template, variable("TRACING", "xray"));
    workerHas(template, variable("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"));
    workerHas(template, variable("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    assertThat(template.toJSON().toString())
        .as("the X-Ray daemon container is gone")
        .doesNotContain("aws-xray-daemon");
    assertThat(WorkerService.COLLECTOR_CONFIG)
        .contains("awsxray:\n    endpoint: 127.0.0.1:2000")
        .contains("endpoint: 127.0.0.1:4318")
        .contains("receivers: [otlp, awsxray]")
        .contains("exporters: [awsxray]");
  }

  @Test
  void byDefaultTheFunctionsLogJsonAtInfoAndTraceWithTheXRaySdkWithoutALayer() {
    Template template = synthesize(Map.of());

    Map<String, Map<String, Object>> functions =
        template.findResources(
            "AWS::Lambda::Function",
            Map.of(
                "Properties",
                Map.of(
                    "LoggingConfig",
                    Map.of(
                        "LogFormat", "JSON",
                        "ApplicationLogLevel", "INFO",
                        "SystemLogLevel", "INFO"),
                    "Environment",
                    Map.of("Variables", Match.objectLike(Map.of("TRACING", "xray"))),
                    "TracingConfig",
                    Map.of("Mode", "Active"),
                    "Layers",
                    Match.absent())));
    assertThat(functions).as("the scaler and the generator").hasSize(2);
  }

  @Test
  void withOpenTelemetryTheFunctionsSendThroughTheCollectorLayerAndTheWorkerThroughTheSidecar() {
    Template template =
        synthesize(Map.of("tracing", "otel", "otelLambdaLayerArn", LAYER, "logLevel", "debug"));

    Map<String, Map<String, Object>> functions =
        template.findResources(
            "AWS::Lambda::Function",
            Map.of(
                "Properties",
                Map.of(
                    "Layers",
                    List.of(LAYER),
                    "LoggingConfig",
                    Match.objectLike(Map.of("ApplicationLogLevel", "DEBUG")),
                    "Environment",
                    Map.of(
                        "Variables",
                        Match.objectLike(
                            Map.of(
                                "TRACING",
                                "otel",
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                "http://127.0.0.1:4318"))))));
    assertThat(functions).hasSize(2);
    workerHas(template, variable("TRACING", "otel"));
  }

  private static void workerHas(Template template, Object variable) {
    template.hasResourceProperties(
        "AWS::ECS::TaskDefinition",
        Map.of(
            "ContainerDefinitions",
            Match.arrayWith(
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Name",
                            "Worker",
                            "Environment",
                            Match.arrayWith(List.of(variable))))))));
  }

  @ParameterizedTest(name = "context {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "tracing=jaeger | context tracing must be xray, otel or off but was jaeger",
        "logLevel=WARN | context logLevel must be TRACE, DEBUG or INFO but was WARN",
        "logLevel=LOUD | context logLevel must be TRACE, DEBUG or INFO but was LOUD",
        "tracing=otel | context tracing=otel needs context otelLambdaLayerArn",
        "otelLambdaLayerArn=adot | context otelLambdaLayerArn must be a Lambda layer version ARN"
      })
  void aBadTelemetryValueFailsSynthesisNamingIt(String setting, String message) {
    String[] keyValue = setting.split("=", 2);
    App app = new App(AppProps.builder().context(Map.of(keyValue[0], keyValue[1])).build());

    assertThatThrownBy(() -> InfraApp.build(app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
