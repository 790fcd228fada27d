package dev.queuescaler.scaler.app;

import dev.queuescaler.scaler.aws.AccountQuotas;
import dev.queuescaler.scaler.aws.EventBridgeDecisionEvents;
import dev.queuescaler.scaler.aws.SsmParameterSource;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import dev.queuescaler.scaler.tracing.XRayTracing;
import dev.queuescaler.telemetry.TracingChoice;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The scaler's own settings, read once from the environment. AWS settings (region, credentials,
 * endpoints) are not here: the SDK reads its standard variables itself.
 *
 * @param parameterPath {@code SCALER_PARAMETER_PATH}, default {@code /queue-scaler}
 * @param stateTable {@code SCALER_STATE_TABLE}, required
 * @param metricsNamespace {@code SCALER_METRICS_NAMESPACE}, default {@code QueueScaler}
 * @param eventBus {@code SCALER_EVENT_BUS}, default {@code default}
 * @param xrayDaemonAddress {@code AWS_XRAY_DAEMON_ADDRESS}, default {@code 127.0.0.1:2000}; read
 *     only when {@code TRACING} chooses the X-Ray SDK (otherwise the default, which nothing uses),
 *     so that a value left for another tracer cannot stop the scaler
 * @param quotaSharePercent {@code SCALER_QUOTA_SHARE_PERCENT}, default 50: the share of each of the
 *     account's API quotas (Parameter Store reads, DescribeServices, UpdateService) the scaler
 *     paces itself to; more when the account has no other heavy user of them
 * @param changeQueueUrl {@code SCALER_CHANGE_QUEUE_URL}, optional: the SQS queue the stack's rule
 *     sends Parameter Store's change events for the prefix to, drained at each cycle's start
 * @param idleCheckQueue {@code SCALER_IDLE_CHECK_QUEUE_URL}, optional: the stack's checks queue,
 *     where an invocation that ends with idle targets leaves their checks (idle-check-seconds);
 *     without it an idle target is read by the next invocation
 */
public record ScalerSettings(
    String parameterPath,
    String stateTable,
    String metricsNamespace,
    String eventBus,
    String xrayDaemonAddress,
    int quotaSharePercent,
    Optional<String> changeQueueUrl,
    Optional<String> idleCheckQueue) {

  /** An SSM parameter hierarchy: letters, digits, {@code . - _}, levels joined by {@code /}. */
  private static final Pattern SSM_PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");

  /**
   * Where the X-Ray SDK sends segments: {@code host:port}, or the SDK's {@code tcp:host:port
   * udp:host:port} pair (either order).
   */
  private static final Pattern DAEMON_ADDRESS =
      Pattern.compile("[^\\s:]+:\\d{1,5}|(tcp|udp):[^\\s:]+:\\d{1,5} (tcp|udp):[^\\s:]+:\\d{1,5}");

  public ScalerSettings {
    AccountQuotas.requireShare(quotaSharePercent);
    Objects.requireNonNull(changeQueueUrl, "changeQueueUrl");
    if (changeQueueUrl.isPresent() && !changeQueueUrl.get().strip().matches("https?://\\S+")) {
      throw new IllegalArgumentException(
          "SCALER_CHANGE_QUEUE_URL is \""
              + changeQueueUrl.get()
              + "\": give the change queue's URL (https://...), or leave it unset");
    }
    changeQueueUrl = changeQueueUrl.map(String::strip);
    Objects.requireNonNull(idleCheckQueue, "idleCheckQueue");
    if (idleCheckQueue.isPresent() && !idleCheckQueue.get().strip().matches("https?://\\S+")) {
      throw new IllegalArgumentException(
          "SCALER_IDLE_CHECK_QUEUE_URL is \""
              + idleCheckQueue.get()
              + "\": give the checks queue's URL (https://...), or leave it unset");
    }
    idleCheckQueue = idleCheckQueue.map(String::strip);
    parameterPath = SsmParameterSource.normalize(Objects.requireNonNull(parameterPath));
    if (!SSM_PATH.matcher(parameterPath).matches()) {
      throw new IllegalArgumentException(
          "SCALER_PARAMETER_PATH is \""
              + parameterPath
              + "\": an SSM path has only letters, digits, '.', '-', '_' and '/'");
    }
    requireText("SCALER_STATE_TABLE", stateTable, "name the DynamoDB state table");
    requireText("SCALER_METRICS_NAMESPACE", metricsNamespace, "name a CloudWatch namespace");
    requireText("SCALER_EVENT_BUS", eventBus, "name an EventBridge bus");
    requireText("AWS_XRAY_DAEMON_ADDRESS", xrayDaemonAddress, "give host:port");
    if (!DAEMON_ADDRESS.matcher(xrayDaemonAddress.strip()).matches()
        || !portsInRange(xrayDaemonAddress)) {
      throw new IllegalArgumentException(
          "AWS_XRAY_DAEMON_ADDRESS is \""
              + xrayDaemonAddress
              + "\": give host:port, e.g. "
              + XRayTracing.DEFAULT_DAEMON_ADDRESS);
    }
  }

  private static boolean portsInRange(String address) {
    for (String part : address.strip().split(" ")) {
      int port = Integer.parseInt(part.substring(part.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) {
        return false;
      }
    }
    return true;
  }

  /** Reads the settings; a missing or blank required one fails with its name. */
  public static ScalerSettings fromEnvironment(Map<String, String> environment) {
    return new ScalerSettings(
        environment.getOrDefault("SCALER_PARAMETER_PATH", SsmParameterSource.DEFAULT_PREFIX),
        environment.getOrDefault("SCALER_STATE_TABLE", ""),
        environment.getOrDefault("SCALER_METRICS_NAMESPACE", EmfMetricsSink.DEFAULT_NAMESPACE),
        environment.getOrDefault("SCALER_EVENT_BUS", EventBridgeDecisionEvents.DEFAULT_BUS),
        xraySdkChosen(environment)
            ? environment.getOrDefault(
                "AWS_XRAY_DAEMON_ADDRESS", XRayTracing.DEFAULT_DAEMON_ADDRESS)
            : XRayTracing.DEFAULT_DAEMON_ADDRESS,
        percent(
            "SCALER_QUOTA_SHARE_PERCENT",
            environment.get("SCALER_QUOTA_SHARE_PERCENT"),
            AccountQuotas.DEFAULT_SHARE_PERCENT),
        Optional.ofNullable(environment.get("SCALER_CHANGE_QUEUE_URL"))
            .filter(url -> !url.isBlank()),
        Optional.ofNullable(environment.get("SCALER_IDLE_CHECK_QUEUE_URL"))
            .filter(url -> !url.isBlank()));
  }

  /**
   * Whether {@code TRACING} chooses the X-Ray SDK, the default. A value that is no tracer counts as
   * choosing it here: {@link ObservabilitySettings} refuses it, naming {@code TRACING}.
   */
  private static boolean xraySdkChosen(Map<String, String> environment) {
    try {
      return TracingChoice.fromEnvironment(environment) == TracingChoice.XRAY;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static int percent(String variable, String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return AccountQuotas.requireShare(Integer.parseInt(value.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          variable + " is " + value + ": give a whole percentage from 1 to 100", e);
    }
  }

  private static void requireText(String variable, String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(variable + " is not set: " + what);
    }
  }
}
