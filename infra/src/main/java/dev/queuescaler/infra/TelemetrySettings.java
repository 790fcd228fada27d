package dev.queuescaler.infra;

import dev.queuescaler.telemetry.TracingChoice;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
import software.constructs.Node;

/**
 * How the scaler's function, and the project's stack's other processes, trace and log; a bad value
 * fails synthesis with its name. See docs/tracing.md.
 *
 * <p>A {@link ScalerRuntime} is given these in code ({@code .telemetry(...)} on {@link
 * QueueDepthScaler.Builder}, or {@link ScalerRuntime#forPrefix}), {@link #defaults()} otherwise:
 * the construct reads no context of the app it is built in, whose {@code logLevel} or {@code
 * tracing} may mean something else. Only the project's own app reads them from its context ({@link
 * #fromContext}, {@code -c tracing=...}).
 *
 * @param tracing {@code tracing}: {@code xray} (default), {@code otel} or {@code off}, the
 *     functions' and the worker's {@code TRACING}
 * @param logLevel {@code logLevel}: the functions' application log level (Lambda's logging
 *     configuration, JSON format), {@code TRACE}, {@code DEBUG} or {@code INFO} (default). Not WARN
 *     or above: Lambda counts a line without a level as INFO, so it would drop the metric (EMF)
 *     lines, and the scaler's heartbeat with them, which fires the no-cycle alarm
 * @param otelLambdaLayerArn {@code otelLambdaLayerArn}: the ADOT collector Lambda layer's version
 *     ARN for the function's region (in code, a token too: the parts of it that are text are
 *     checked); required with {@code tracing=otel}, whose spans leave a function through that
 *     collector
 */
public record TelemetrySettings(
    TracingChoice tracing, ApplicationLogLevel logLevel, Optional<String> otelLambdaLayerArn) {

  /** Where a process finds the collector beside it: the ADOT layer's or the task's sidecar. */
  public static final String LOCAL_COLLECTOR = "http://127.0.0.1:4318";

  /**
   * {@code arn:PARTITION:lambda:REGION:ACCOUNT:layer:NAME:VERSION}, one pattern a part: an ARN with
   * tokens is checked in the parts that are text.
   */
  private static final List<Pattern> LAYER_VERSION_ARN =
      List.of(
          Pattern.compile("arn"),
          Pattern.compile("aws[a-z-]*"),
          Pattern.compile("lambda"),
          Pattern.compile("[a-z0-9-]+"),
          Pattern.compile("\\d{12}"),
          Pattern.compile("layer"),
          Pattern.compile("[A-Za-z0-9_-]+"),
          Pattern.compile("\\d+"));

  private static final int REGION = 3;
  private static final List<ApplicationLogLevel> LEVELS_THAT_KEEP_METRICS =
      List.of(ApplicationLogLevel.TRACE, ApplicationLogLevel.DEBUG, ApplicationLogLevel.INFO);

  /** The context keys the project's app reads ({@link #fromContext}). */
  public static final Set<String> KEYS = Set.of("tracing", "logLevel", "otelLambdaLayerArn");

  public TelemetrySettings {
    Objects.requireNonNull(tracing, "TelemetrySettings.tracing");
    Objects.requireNonNull(logLevel, "TelemetrySettings.logLevel");
    Objects.requireNonNull(otelLambdaLayerArn, "TelemetrySettings.otelLambdaLayerArn");
    validate(tracing, logLevel, otelLambdaLayerArn, "TelemetrySettings.");
  }

  /** {@code source}: where the values come from, as the messages name them. */
  private static void validate(
      TracingChoice tracing,
      ApplicationLogLevel logLevel,
      Optional<String> otelLambdaLayerArn,
      String source) {
    if (!LEVELS_THAT_KEEP_METRICS.contains(logLevel)) {
      throw new IllegalArgumentException(
          source
              + "logLevel must be TRACE, DEBUG or INFO but was "
              + logLevel
              + ": Lambda counts the metric lines (they have no level) as INFO and would drop"
              + " them, and the scaler's heartbeat with them");
    }
    otelLambdaLayerArn.ifPresent(
        arn -> {
          if (!isLayerVersionArn(arn)) {
            throw new IllegalArgumentException(
                source
                    + "otelLambdaLayerArn must be a Lambda layer version ARN"
                    + " (arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION) but was "
                    + arn);
          }
        });
    if (tracing == TracingChoice.OTEL && otelLambdaLayerArn.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + "tracing=otel needs "
              + source
              + "otelLambdaLayerArn: the ADOT collector layer for the function's region, which"
              + " takes the functions' spans to X-Ray");
    }
  }

  /**
   * Whether {@code arn} is a layer version ARN, as far as its text tells. A token (an SSM
   * parameter's value, a CfnParameter) is taken as it is, and so are tokens that may hold the
   * colons; of an ARN of text and tokens in its eight parts, each part that is text is checked.
   */
  private static boolean isLayerVersionArn(String arn) {
    String[] parts = arn.split(":", -1);
    if (Token.isUnresolved(arn) && parts.length != LAYER_VERSION_ARN.size()) {
      return true;
    }
    if (parts.length != LAYER_VERSION_ARN.size()) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      if (!Token.isUnresolved(parts[i]) && !LAYER_VERSION_ARN.get(i).matcher(parts[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The layer's region where its ARN's text names it. */
  private static Optional<String> layerRegion(String arn) {
    String[] parts = arn.split(":", -1);
    return parts.length == LAYER_VERSION_ARN.size() && !Token.isUnresolved(parts[REGION])
        ? Optional.of(parts[REGION])
        : Optional.empty();
  }

  public static TelemetrySettings defaults() {
    return new TelemetrySettings(TracingChoice.DEFAULT, ApplicationLogLevel.INFO, Optional.empty());
  }

  /**
   * With OpenTelemetry: its tracer and the ADOT collector layer its spans leave through (a layer
   * version ARN of the function's region, or a token that resolves to one at deploy, such as an SSM
   * parameter's value or a CfnParameter); the log level stays INFO.
   */
  public static TelemetrySettings otel(String otelLambdaLayerArn) {
    return new TelemetrySettings(
        TracingChoice.OTEL, ApplicationLogLevel.INFO, Optional.of(otelLambdaLayerArn));
  }

  /** The same, at {@code logLevel}: TRACE, DEBUG or INFO. */
  public TelemetrySettings withLogLevel(ApplicationLogLevel logLevel) {
    return new TelemetrySettings(tracing, logLevel, otelLambdaLayerArn);
  }

  /** The same, with {@code tracing} (OTEL needs the layer: see {@link #otel}). */
  public TelemetrySettings withTracing(TracingChoice tracing) {
    return new TelemetrySettings(tracing, logLevel, otelLambdaLayerArn);
  }

  /**
   * The project's stack's settings, from its app's context ({@code cdk.json} or {@code -c}); an
   * absent key keeps its default. Not for the construct: see the class's comment.
   */
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
    Optional<String> layer =
        Optional.of(text(node, "otelLambdaLayerArn", "")).filter(arn -> !arn.isBlank());
    validate(tracing, logLevel, layer, "context ");
    return new TelemetrySettings(tracing, logLevel, layer);
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
   * @throws IllegalArgumentException when the layer's region (in its ARN's text) and the function's
   *     stack's are both known and differ: Lambda takes a layer of the function's own region only,
   *     and would fail the deploy
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
    Optional<String> named = layerRegion(arn);
    if (named.isEmpty()) {
      return;
    }
    String layerRegion = named.get();
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
