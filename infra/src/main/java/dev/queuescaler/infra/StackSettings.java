package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.policy.ScalingFormula;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * The stack's sizes, limits and names, from {@code cdk.json} context or {@code -c key=value}. Every
 * value is validated here, so a bad one fails synthesis with its name.
 *
 * @param vpcId {@code vpcId}: an existing VPC (looked up at synth, needs credentials); empty for a
 *     new VPC with public subnets only and no NAT gateway
 * @param targetName {@code targetName}: the SSM target, default {@code default}
 * @param workerCpu {@code workerCpu}: Fargate CPU units, default 512
 * @param workerMemoryMiB {@code workerMemoryMiB}: default 1024
 * @param workerConcurrency {@code workerConcurrency}: receive loops per task, default 4
 * @param workerShutdownSeconds {@code workerShutdownSeconds}: default 25 (stopTimeout is 20 s more)
 * @param maxTasks {@code maxTasks}: the scaler's max-tasks, default 10
 * @param backlogPerTask {@code backlogPerTask}: the scaler's backlog-per-task, default 100
 * @param policy {@code policy}: the scaler's formula, default {@code backlog-and-load}; the stack
 *     writes the chosen formula's own defaults with it (its window and tolerance differ)
 * @param generatorSchedule {@code generatorSchedule}: run the generator every minute, default false
 * @param oldestMessageAlarmSeconds {@code oldestMessageAlarmSeconds}: default 600
 * @param alarmEmail {@code alarmEmail}: one email address subscribed to the alarm topic (it must
 *     confirm the subscription); absent or empty for the topic without a subscription
 * @param scalerQuotaSharePercent {@code scalerQuotaSharePercent}: the share of each paced API quota
 *     the scaler uses (its {@code SCALER_QUOTA_SHARE_PERCENT}), 1-100, default 50
 * @param generatorJar {@code generatorJar}: default {@code ../generator/target/generator.jar}
 * @param workerContext {@code workerContext}: the worker's Docker context, default {@code
 *     ../worker}
 */
public record StackSettings(
    Optional<String> vpcId,
    String targetName,
    int workerCpu,
    int workerMemoryMiB,
    int workerConcurrency,
    int workerShutdownSeconds,
    int maxTasks,
    int backlogPerTask,
    ScalingFormula policy,
    boolean generatorSchedule,
    int oldestMessageAlarmSeconds,
    Optional<String> alarmEmail,
    int scalerQuotaSharePercent,
    String generatorJar,
    String workerContext) {

  /** The context keys read here, each one of the record's components. */
  public static final Set<String> KEYS =
      Set.of(
          "vpcId",
          "targetName",
          "workerCpu",
          "workerMemoryMiB",
          "workerConcurrency",
          "workerShutdownSeconds",
          "maxTasks",
          "backlogPerTask",
          "policy",
          "generatorSchedule",
          "oldestMessageAlarmSeconds",
          "alarmEmail",
          "scalerQuotaSharePercent",
          "generatorJar",
          "workerContext");

  public StackSettings {
    Objects.requireNonNull(vpcId, "vpcId");
    vpcId.ifPresent(StackSettings::vpc);
    if (!ParameterPrefix.isTargetName(targetName)) {
      throw new IllegalArgumentException(
          "context targetName must match [A-Za-z0-9._-]{1,64}, not dots alone, but was \""
              + targetName
              + "\"");
    }
    range("workerConcurrency", workerConcurrency, 1, 64);
    range("workerShutdownSeconds", workerShutdownSeconds, 1, 100);
    range("maxTasks", maxTasks, 1, 5_000);
    range("backlogPerTask", backlogPerTask, 1, Integer.MAX_VALUE);
    Objects.requireNonNull(policy, "policy");
    range("oldestMessageAlarmSeconds", oldestMessageAlarmSeconds, 60, 1_209_600);
    Objects.requireNonNull(alarmEmail, "alarmEmail");
    alarmEmail.ifPresent(StackSettings::email);
    range("scalerQuotaSharePercent", scalerQuotaSharePercent, 1, 100);
    FargateSize.check(workerCpu, workerMemoryMiB);
  }

  public static StackSettings defaults() {
    return new StackSettings(
        Optional.empty(),
        "default",
        512,
        1024,
        4,
        25,
        10,
        100,
        ScalingFormula.BACKLOG_AND_LOAD,
        false,
        600,
        Optional.empty(),
        50,
        LoadGenerator.DEFAULT_JAR,
        WorkerService.DEFAULT_CONTEXT);
  }

  /**
   * The settings from the app's context; a key that is absent keeps its default. Numbers and
   * booleans are taken strictly, as JSON values from {@code cdk.json} or as text from {@code -c}: a
   * value that is not exactly one fails with the key's name, never falls back to a default. Text is
   * taken without the spaces around it (a shell's quoting leaves them), for every key alike.
   */
  public static StackSettings fromContext(Node node) {
    StackSettings d = defaults();
    return new StackSettings(
        Optional.ofNullable(text(node, "vpcId", null)).map(String::strip).filter(s -> !s.isEmpty()),
        text(node, "targetName", d.targetName()),
        number(node, "workerCpu", d.workerCpu()),
        number(node, "workerMemoryMiB", d.workerMemoryMiB()),
        number(node, "workerConcurrency", d.workerConcurrency()),
        number(node, "workerShutdownSeconds", d.workerShutdownSeconds()),
        number(node, "maxTasks", d.maxTasks()),
        number(node, "backlogPerTask", d.backlogPerTask()),
        formula(node, "policy", d.policy()),
        bool(node, "generatorSchedule", d.generatorSchedule()),
        number(node, "oldestMessageAlarmSeconds", d.oldestMessageAlarmSeconds()),
        Optional.ofNullable(text(node, "alarmEmail", null))
            .map(String::strip)
            .filter(s -> !s.isEmpty()),
        number(node, "scalerQuotaSharePercent", d.scalerQuotaSharePercent()),
        path(node, "generatorJar", d.generatorJar(), "a file", Files::isRegularFile),
        path(node, "workerContext", d.workerContext(), "a directory", Files::isDirectory));
  }

  private static ScalingFormula formula(Node node, String key, ScalingFormula fallback) {
    String value = text(node, key, fallback.key());
    return ScalingFormula.byKey(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "context "
                        + key
                        + " must be one of "
                        + ParameterKey.POLICY.valid()
                        + " but was "
                        + value));
  }

  private static String text(Node node, String key, String fallback) {
    Object value = node.tryGetContext(key);
    return value == null ? fallback : value.toString().strip();
  }

  /** A path that must exist when it is given (the defaults are where the build puts them). */
  private static String path(
      Node node, String key, String fallback, String what, Predicate<Path> exists) {
    Object value = node.tryGetContext(key);
    if (value == null) {
      return fallback;
    }
    String path = value.toString().strip();
    if (!exists.test(Path.of(path))) {
      throw new IllegalArgumentException(
          "context " + key + " must name " + what + " but there is none at \"" + value + "\"");
    }
    return path;
  }

  /** A JSON boolean, or the text {@code true} or {@code false}: "yes" is not a silent false. */
  private static boolean bool(Node node, String key, boolean fallback) {
    Object value = node.tryGetContext(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "context " + key + " must be true or false but was \"" + value + "\"");
    };
  }

  /**
   * A whole JSON number, or its text as plain digits: 1.5 is not 1, 3000000000 does not wrap
   * around, and 1e1, 10.0 or +10 are not taken for 10 (cdk.json's 10 may arrive as 10.0, a JSON
   * number, and is whole).
   */
  private static int number(Node node, String key, int fallback) {
    Object value = node.tryGetContext(key);
    if (value == null) {
      return fallback;
    }
    try {
      if (value instanceof Number n) {
        return new BigDecimal(n.toString()).intValueExact();
      }
      String text = value.toString().strip();
      if (!INTEGER.matcher(text).matches()) {
        throw new NumberFormatException(text);
      }
      return new BigDecimal(text).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "context " + key + " must be an integer but was " + plain(value));
    }
  }

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  private static String plain(Object value) {
    return value instanceof Number ? value.toString() : "\"" + value + "\"";
  }

  private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8}([0-9a-f]{9})?");

  private static void vpc(String value) {
    if (!VPC_ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "context vpcId must be a VPC id (vpc- and 8 or 17 hex digits) but was \"" + value + "\"");
    }
  }

  /**
   * One address, as SNS's email protocol takes it: no list, no display name, a domain with a dot.
   * Caught here, naming the setting, rather than by SNS minutes into a deploy.
   */
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s,;<>\"]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private static void email(String value) {
    if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "context alarmEmail must be one email address (ops@example.com) but was \""
              + value
              + "\"");
    }
  }

  private static void range(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "context " + name + " must be between " + min + " and " + max + " but was " + value);
    }
  }
}
