package dev.queuescaler.infra;

import dev.queuescaler.telemetry.TracingChoice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * How the stack's processes trace and log, from context; a bad value fails synthesis with its name.
 * See docs/tracing.md.
 *
 * @param tracing {@code tracing}: {@code xray} (default), {@code otel} or {@code off}, the
 *     functions' and the worker's {@code TRACING}
 * @param logLevel {@code logLevel}: the functions' application log level (Lambda's logging
 *     configuration, JSON format), {@code TRACE}, {@code DEBUG} or {@code INFO} (default). Not WARN
 *     or above: Lambda counts a line without a level as INFO, so it would drop the metric (EMF)
 *     lines, and the scaler's heartbeat with them, which fires the no-cycle alarm
 * @param otelLambdaLayerArn {@code otelLambdaLayerArn}: the ADOT collector Lambda layer's version
 *     ARN for the stack's region; required with {@code tracing=otel}, whose spans leave a function
 *     through that collector
 */
public record TelemetrySettings(
    TracingChoice tracing, ApplicationLogLevel logLevel, Optional<String> otelLambdaLayerArn) {

  /** Where a process finds the collector beside it: the ADOT layer's or the task's sidecar. */
  public static final String LOCAL_COLLECTOR = "http://127.0.0.1:4318";

  private static final Pattern LAYER_VERSION_ARN =
      Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:layer:[A-Za-z0-9_-]+:\\d+");
  private static final List<ApplicationLogLevel> LEVELS_THAT_KEEP_METRICS =
      List.of(ApplicationLogLevel.TRACE, ApplicationLogLevel.DEBUG, ApplicationLogLevel.INFO);

  /** The context keys read here. */
  public static final Set<String> KEYS = Set.of("tracing", "logLevel", "otelLambdaLayerArn");

  public TelemetrySettings {
    if (!LEVELS_THAT_KEEP_METRICS.contains(logLevel)) {
      throw new IllegalArgumentException(
          "context logLevel must be TRACE, DEBUG or INFO but was "
              + logLevel
              + ": Lambda counts the metric lines (they have no level) as INFO and would drop"
              + " them, and the scaler's heartbeat with them");
    }
    otelLambdaLayerArn.ifPresent(
        arn -> {
          if (!LAYER_VERSION_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException(
                "context otelLambdaLayerArn must be a Lambda layer version ARN"
                    + " (arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION) but was "
                    + arn);
          }
        });
    if (tracing == TracingChoice.OTEL && otelLambdaLayerArn.isEmpty()) {
      throw new IllegalArgumentException(
          "context tracing=otel needs context otelLambdaLayerArn: the ADOT collector layer for"
              + " the stack's region, which takes the functions' spans to X-Ray");
    }
  }

  public static TelemetrySettings defaults() {
    return new TelemetrySettings(TracingChoice.DEFAULT, ApplicationLogLevel.INFO, Optional.empty());
  }

  /** The settings from the context of {@code scope}'s app; an absent key keeps its default. */
  public static TelemetrySettings of(Construct scope) {
    return fromContext(scope.getNode());
  }

  public static TelemetrySettings fromContext(Node node) {
    TracingChoice tracing;
    try {
      tracing = TracingChoice.fromEnvironment(Map.of("TRACING", text(node, "tracing", "")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "context tracing must be xray, otel or off but was " + node.tryGetContext("tracing"), e);
    }
    String level = text(node, "logLevel", "INFO").toUpperCase(Locale.ROOT);
    ApplicationLogLevel logLevel;
    try {
      logLevel = ApplicationLogLevel.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "context logLevel must be TRACE, DEBUG or INFO but was " + level, e);
    }
    return new TelemetrySettings(
        tracing,
        logLevel,
        Optional.of(text(node, "otelLambdaLayerArn", "")).filter(arn -> !arn.isBlank()));
  }

  private static String text(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString().strip();
  }

  /** Lambda's logging configuration: JSON lines, this application level, Lambda's own at INFO. */
  public Function.Builder logging(Function.Builder function) {
    return function
        .loggingFormat(LoggingFormat.JSON)
        .applicationLogLevelV2(logLevel)
        .systemLogLevelV2(SystemLogLevel.INFO);
  }

  /**
   * The function's tracer, and with OpenTelemetry the collector layer its spans leave through.
   *
   * @throws IllegalArgumentException when the layer's region and the function's stack's are both
   *     known and differ: Lambda takes a layer of the function's own region only, and would fail
   *     the deploy
   */
  public void traceFunction(Function function) {
    otelLambdaLayerArn.ifPresent(arn -> requireLayerRegion(arn, function));
    lambdaEnvironment().forEach(function::addEnvironment);
    otelLambdaLayerArn.ifPresent(
        arn ->
            function.addLayers(
                LayerVersion.fromLayerVersionArn(function, "OtelCollectorLayer", arn)));
  }

  private static void requireLayerRegion(String arn, Function function) {
    String layerRegion = arn.split(":")[3];
    String functionRegion = Stack.of(function).getRegion();
    if (!Token.isUnresolved(functionRegion) && !layerRegion.equals(functionRegion)) {
      throw new IllegalArgumentException(
          "otelLambdaLayerArn "
              + arn
              + " is in region "
              + layerRegion
              + ", but the function "
              + function.getNode().getPath()
              + " is in region "
              + functionRegion
              + ": Lambda takes layers of the function's own region only. Give the ADOT collector"
              + " layer's ARN for "
              + functionRegion);
    }
  }

  /** A function's tracing variables. */
  public Map<String, String> lambdaEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(TracingChoice.VARIABLE, tracing.value());
    if (tracing == TracingChoice.OTEL) {
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", LOCAL_COLLECTOR);
    }
    return env;
  }

  /**
   * The worker's tracing variables: the collector sidecar takes X-Ray daemon segments on UDP 2000
   * and OTLP on 4318, so either tracer finds it.
   */
  public Map<String, String> workerEnvironment() {
    return Map.of(
        TracingChoice.VARIABLE,
        tracing.value(),
        "AWS_XRAY_DAEMON_ADDRESS",
        "127.0.0.1:2000",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        LOCAL_COLLECTOR);
  }
}
