package dev.queuescaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.policy.LoadTerm;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigurationParserTest {

  private static Map<String, String> required(String target) {
    Map<String, String> parameters = new HashMap<>();
    parameters.put(target + "/queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs");
    parameters.put(target + "/cluster", "workers");
    parameters.put(target + "/service", "jobs-worker");
    return parameters;
  }

  @Test
  void aTargetWithOnlyRequiredKeysScalesOnTheBacklogPerTaskFormulaAtItsDefaults() {
    Configuration configuration = ConfigurationParser.parse(required("jobs"));

    TargetConfig target = configuration.targets().get(0);
    assertThat(target.name()).isEqualTo(new TargetName("jobs"));
    assertThat(target.parameters()).contains(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS);
    assertThat(target.enabled()).isTrue();
    assertThat(target.dryRun()).isFalse();
    assertThat(target.problems()).isEmpty();
    assertThat(configuration.warnings()).isEmpty();
  }

  @Test
  void readsEveryTunable() {
    Map<String, String> parameters = required("jobs");
    parameters.putAll(
        Map.of(
            "jobs/min-tasks", "1",
            "jobs/max-tasks", "50",
            "jobs/backlog-per-task", "20",
            "jobs/activation-backlog", "5",
            "jobs/count-in-flight", "false",
            "jobs/count-delayed", "TRUE",
            "jobs/scale-out-cooldown-seconds", "30",
            "jobs/scale-in-stabilization-seconds", "600",
            "jobs/max-scale-out-step", "4",
            "jobs/max-scale-in-step", "2"));
    parameters.put("jobs/enabled", "false");
    parameters.put("jobs/dry-run", " true ");
    parameters.put("jobs/scale-tolerance-percent", "15");
    parameters.put("jobs/sample-interval-seconds", "20");
    parameters.put("jobs/scale-to-zero-delay-seconds", "120");
    parameters.put("jobs/scale-in-when-drained", "true");
    parameters.put("jobs/scale-in-between-bursts", "true");
    parameters.put("jobs/scale-in-after-long-pauses", "true");
    parameters.put("jobs/policy", "backlog-and-load");
    parameters.put("jobs/task-concurrency", "40");
    parameters.put("jobs/target-utilization-percent", "80");

    TargetConfig target = ConfigurationParser.parse(parameters).targets().get(0);

    assertThat(target.parameters())
        .contains(
            new ScalingParameters(
                    1,
                    50,
                    20,
                    5,
                    false,
                    true,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(600),
                    4,
                    2,
                    15)
                .withScaleToZeroDelay(Duration.ofSeconds(120))
                .withScaleInWhenDrained(true)
                .withScaleInBetweenBursts(true)
                .withScaleInAfterLongPauses(true)
                .withLoad(new LoadTerm(40, 80)));
    assertThat(target.sampling().interval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(target.enabled()).isFalse();
    assertThat(target.dryRun()).isTrue();
    assertThat(target.problems()).isEmpty();
  }

  @Test
  void theLoadTermIsTheDefaultWhereTheDeploymentWroteTheWorkersConcurrency() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/task-concurrency", "40");

    TargetConfig target = ConfigurationParser.parse(parameters).targets().get(0);

    ScalingParameters p = target.parameters().orElseThrow();
    assertThat(p.formula()).isEqualTo(ScalingFormula.BACKLOG_AND_LOAD);
    assertThat(p.load()).contains(new LoadTerm(40, 120));
    assertThat(p.scaleInStabilization()).isEqualTo(Duration.ofSeconds(210));
    assertThat(p.tolerancePercent()).isEqualTo(10);
    assertThat(p.scaleToZeroDelay()).isEqualTo(Duration.ofSeconds(300));
    assertThat(p.scaleInWhenDrained()).isFalse();
    assertThat(p.scaleInBetweenBursts()).isTrue();
    assertThat(p.scaleInAfterLongPauses()).isFalse();
    assertThat(target.problems()).isEmpty();
  }

  @Test
  void scaleInWhenDrainedIsReadUnderEitherFormula() {
    Map<String, String> loadFormula = required("jobs");
    loadFormula.put("jobs/task-concurrency", "40");
    loadFormula.put("jobs/scale-in-when-drained", "true");
    Map<String, String> backlogFormula = required("jobs");
    backlogFormula.put("jobs/scale-in-when-drained", "TRUE");

    assertThat(parameters(loadFormula).scaleInWhenDrained()).isTrue();
    assertThat(parameters(backlogFormula).scaleInWhenDrained()).isTrue();
  }

  private static ScalingParameters parameters(Map<String, String> values) {
    return ConfigurationParser.parse(values).targets().get(0).parameters().orElseThrow();
  }

  @Test
  void theBacklogPerTaskFormulaIsChosenByNameAndKeepsItsDocumentedDefaults() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/policy", "backlog-per-task");
    parameters.put("jobs/task-concurrency", "40");

    ScalingParameters p =
        ConfigurationParser.parse(parameters).targets().get(0).parameters().orElseThrow();

    assertThat(p).isEqualTo(ScalingParameters.BACKLOG_PER_TASK_DEFAULTS);
  }

  @Test
  void anUnknownPolicyRejectsTheTargetsValues() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/policy", "kpa");
    parameters.put("jobs/task-concurrency", "40");

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).isEmpty();
    assertThat(configuration.rejected().get(0).problems())
        .containsExactly("policy: \"kpa\" is not one of backlog-per-task, backlog-and-load");
  }

  @Test
  void withoutTheWorkersConcurrencyATargetKeepsTheBacklogPerTaskFormulaAndItsDefaults() {
    TargetConfig target = ConfigurationParser.parse(required("jobs")).targets().get(0);

    ScalingParameters p = target.parameters().orElseThrow();
    assertThat(p.formula()).isEqualTo(ScalingFormula.BACKLOG_PER_TASK);
    assertThat(p.scaleInStabilization()).isEqualTo(Duration.ofSeconds(300));
    assertThat(target.problems()).isEmpty();
  }

  @Test
  void anExplicitLoadPolicyWithoutTheWorkersConcurrencyRejectsTheTargetsValues() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/policy", "backlog-and-load");

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).isEmpty();
    assertThat(configuration.rejected().get(0).problems())
        .containsExactly(
            "policy backlog-and-load needs task-concurrency (the worker's messages at a time)");
  }

  @ParameterizedTest(name = "{0}={1} is rejected: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max-tasks | abc | max-tasks: \"abc\" is not an integer",
        "max-tasks | 1,000 | max-tasks: \"1,000\" is not an integer",
        "max-tasks | 0 | max-tasks: 0 is out of range (>= 1)",
        "min-tasks | -1 | min-tasks: -1 is out of range (>= 0)",
        "backlog-per-task | 1.5 | backlog-per-task: \"1.5\" is not an integer",
        "scale-in-stabilization-seconds | 99999999999x | is not an integer",
        "scale-tolerance-percent | 100 | scale-tolerance-percent: 100 is out of range (0-99)",
        "sample-interval-seconds | 2 | sample-interval-seconds: 2 is out of range (5-60",
        "count-in-flight | yes | count-in-flight: \"yes\" is not true or false",
        "scale-in-when-drained | ture | scale-in-when-drained: \"ture\" is not true or false",
        "scale-in-between-bursts | on | scale-in-between-bursts: \"on\" is not true or false",
        "scale-in-after-long-pauses | 1 | scale-in-after-long-pauses: \"1\" is not true or false",
        "policy | kpa | policy: \"kpa\" is not one of backlog-per-task, backlog-and-load",
        "task-concurrency | -4 | task-concurrency: -4 is out of range",
        "target-utilization-percent | 0 | target-utilization-percent: 0 is out of range (1-200)",
        "target-utilization-percent | 201 | target-utilization-percent: 201 is out of range",
        "scale-to-zero-delay-seconds | -1 | scale-to-zero-delay-seconds: -1 is out of range",
        "scale-in-stabilization-seconds | 3601 | scale-in-stabilization-seconds: 3601 is out of range (0-3600)",
        "max_tasks | 50 | unknown key \"max_tasks\" (did you mean max-tasks?)"
      })
  void aBadValueOrAnUnknownKeyRejectsTheTargetsValuesAndNeverFallsBackToADefault(
      String key, String value, String problem) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, value);

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).isEmpty();
    ParsedTarget rejected = configuration.rejected().get(0);
    assertThat(rejected.config()).isEmpty();
    assertThat(rejected.problems()).singleElement().asString().contains(problem);
    assertThat(rejected.values()).as("kept as found").containsEntry(key, value);
  }

  /**
   * An operator who types {@code 10000000000} for max-tasks typed an integer, one too large:
   * telling them it "is not an integer" sends them looking for a stray character.
   */
  @ParameterizedTest(name = "{0}={1} is out of range")
  @CsvSource(
      delimiter = '|',
      value = {
        "max-tasks | 2147483648 | max-tasks: 2147483648 is out of range (>= 1)",
        "min-tasks | -99999999999 | min-tasks: -99999999999 is out of range (>= 0)",
        "scale-in-stabilization-seconds | 99999999999 | scale-in-stabilization-seconds:"
            + " 99999999999 is out of range (0-3600)",
        "max-scale-out-step | +000099999999999999999999 | max-scale-out-step:"
            + " 99999999999999999999 is out of range (>= 0)"
      })
  void aWholeNumberBeyondTheIntegerRangeIsReportedOutOfRangeNotAsNotAnInteger(
      String key, String value, String problem) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, value);

    ParsedTarget rejected = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(rejected.config()).isEmpty();
    assertThat(rejected.problems()).containsExactly(problem);
  }

  /**
   * A value pasted from a chat or a document can carry a no-break space, a zero-width character or
   * a look-alike hyphen. Printed as is, the problem reads {@code max-tasks: " 10" is not an
   * integer} (or {@code "10"}), and the operator cannot see what is wrong: the character is shown
   * escaped.
   */
  @ParameterizedTest(name = "{0} is shown as {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max-tasks | \\u00A010 | max-tasks: \"\\u00A010\" is not an integer",
        "max-tasks | 1\\u200B0 | max-tasks: \"1\\u200B0\" is not an integer",
        "count-in-flight | true\\uFEFF | count-in-flight: \"true\\uFEFF\" is not true or false",
        "policy | backlog\\u2011per\\u2011task | policy: \"backlog\\u2011per\\u2011task\" is not"
            + " one of backlog-per-task, backlog-and-load"
      })
  void anInvisibleOrLookAlikeCharacterInAValueIsShownEscapedInItsProblem(
      String key, String escapedValue, String problem) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, unescape(escapedValue));

    ParsedTarget rejected = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(rejected.problems()).containsExactly(problem);
  }

  /** A backslash-u escape in a test's text as the character itself. */
  private static String unescape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("\\u", i)) {
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(text.charAt(i));
      }
    }
    return out.toString();
  }

  /**
   * operating.md: "a missing or malformed queue-url, cluster or service" is not applied. A cluster
   * or service that no ECS name or ARN can be was applied, replacing the last valid configuration
   * with one whose every read fails: the target stopped scaling instead of keeping its last valid
   * configuration.
   */
  @ParameterizedTest(name = "{0}={1} is rejected")
  @CsvSource(
      delimiter = '|',
      value = {
        "cluster | workers prod | cluster: \"workers prod\" is not an ECS cluster name or ARN",
        "cluster | workers/prod | cluster: \"workers/prod\" is not an ECS cluster name or ARN",
        "cluster | arn:aws:ecs:eu-west-1:123456789012:service/workers/orders | cluster:"
            + " \"arn:aws:ecs:eu-west-1:123456789012:service/workers/orders\" is not an ECS"
            + " cluster name or ARN",
        "service | orders svc | service: \"orders svc\" is not an ECS service name or ARN",
        "service | orders.v2 | service: \"orders.v2\" is not an ECS service name or ARN",
        "service | https://sqs.eu-west-1.amazonaws.com/123456789012/orders | service:"
            + " \"https://sqs.eu-west-1.amazonaws.com/123456789012/orders\" is not an ECS"
            + " service name or ARN"
      })
  void aClusterOrServiceNoEcsNameOrArnCanBeRejectsTheTargetsValues(
      String key, String value, String problem) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, value);

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).as("no configuration from these values").isEmpty();
    ParsedTarget rejected = configuration.rejected().get(0);

    assertThat(rejected.config()).isEmpty();
    assertThat(rejected.problems()).containsExactly(problem);
  }

  /**
   * DescribeServices and UpdateService are called with the target's cluster: a service ARN that
   * names another cluster (or, beside a cluster ARN, another region or account) is a typo in one of
   * the two, and the call could read or scale a same-named service of the wrong cluster.
   */
  @ParameterizedTest(name = "cluster={0} with service={1} is rejected")
  @CsvSource(
      delimiter = '|',
      value = {
        "workers | arn:aws:ecs:us-east-1:123456789012:service/batch/orders | service:"
            + " \"arn:aws:ecs:us-east-1:123456789012:service/batch/orders\" names cluster"
            + " \"batch\", not the target's cluster \"workers\"",
        "arn:aws:ecs:us-east-1:123456789012:cluster/workers"
            + " | arn:aws:ecs:us-east-1:123456789012:service/batch/orders | service:"
            + " \"arn:aws:ecs:us-east-1:123456789012:service/batch/orders\" names cluster"
            + " \"batch\", not the target's cluster \"workers\"",
        "arn:aws:ecs:us-east-1:123456789012:cluster/workers"
            + " | arn:aws:ecs:eu-west-1:123456789012:service/workers/orders | service:"
            + " \"arn:aws:ecs:eu-west-1:123456789012:service/workers/orders\" is in partition"
            + " aws, region eu-west-1 and account 123456789012, the cluster in partition aws,"
            + " region us-east-1 and account 123456789012",
        "arn:aws:ecs:us-east-1:123456789012:cluster/workers"
            + " | arn:aws:ecs:us-east-1:210987654321:service/orders | service:"
            + " \"arn:aws:ecs:us-east-1:210987654321:service/orders\" is in partition aws,"
            + " region us-east-1 and account 210987654321, the cluster in partition aws, region"
            + " us-east-1 and account 123456789012",
        "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/workers"
            + " | arn:aws:ecs:us-gov-west-1:123456789012:service/workers/orders | service:"
            + " \"arn:aws:ecs:us-gov-west-1:123456789012:service/workers/orders\" is in"
            + " partition aws, region us-gov-west-1 and account 123456789012, the cluster in"
            + " partition aws-us-gov, region us-gov-west-1 and account 123456789012"
      })
  void aServiceArnOfAnotherClusterThanTheTargetsIsRejected(
      String cluster, String service, String problem) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/cluster", cluster);
    parameters.put("jobs/service", service);

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).as("no configuration from these values").isEmpty();
    assertThat(configuration.rejected().get(0).problems()).containsExactly(problem);
  }

  @Test
  void aServiceArnOfAnotherClusterAndAnotherRegionIsToldBothAtOnce() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/workers");
    parameters.put("jobs/service", "arn:aws:ecs:eu-west-1:210987654321:service/batch/orders");

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.rejected().get(0).problems())
        .containsExactly(
            "service: \"arn:aws:ecs:eu-west-1:210987654321:service/batch/orders\" names cluster"
                + " \"batch\", not the target's cluster \"workers\"",
            "service: \"arn:aws:ecs:eu-west-1:210987654321:service/batch/orders\" is in"
                + " partition aws, region eu-west-1 and account 210987654321, the cluster in"
                + " partition aws, region us-east-1 and account 123456789012");
  }

  @ParameterizedTest(name = "cluster={0} with service={1} is accepted")
  @CsvSource(
      delimiter = '|',
      value = {
        "workers | arn:aws:ecs:us-east-1:123456789012:service/workers/orders",
        "workers | arn:aws:ecs:us-east-1:123456789012:service/orders",
        "arn:aws:ecs:us-east-1:123456789012:cluster/workers | orders",
        "arn:aws:ecs:us-east-1:123456789012:cluster/workers"
            + " | arn:aws:ecs:us-east-1:123456789012:service/workers/orders"
      })
  void aServiceInTheTargetsClusterIsAccepted(String cluster, String service) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/cluster", cluster);
    parameters.put("jobs/service", service);

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.rejected()).isEmpty();
    assertThat(configuration.targets().get(0).service()).isEqualTo(service);
  }

  @ParameterizedTest(name = "{0}={1} is accepted")
  @CsvSource(
      delimiter = '|',
      value = {
        "cluster | Workers_2-b",
        "cluster | arn:aws:ecs:eu-west-1:123456789012:cluster/workers",
        "cluster | arn:aws-cn:ecs:cn-north-1:123456789012:cluster/workers",
        "service | arn:aws:ecs:eu-west-1:123456789012:service/workers/orders",
        "service | arn:aws:ecs:eu-west-1:123456789012:service/orders",
        "service | arn:aws-us-gov:ecs:us-gov-west-1:123456789012:service/workers/orders"
      })
  void anEcsNameOrArnIsAcceptedAsClusterOrService(String key, String value) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, value);

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.rejected()).isEmpty();
    TargetConfig config = configuration.targets().get(0);
    assertThat(key.equals("cluster") ? config.cluster() : config.service()).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}={1} fails closed")
  @CsvSource({"enabled, 1", "enabled, ture", "dry-run, no", "dry-run, FALSE!"})
  void anUnreadableSafetySwitchFailsClosed(String key, String value) {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/" + key, value);

    ParsedTarget target = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(target.config()).as("never a configuration that could act").isEmpty();
    assertThat(key.equals("enabled") ? target.enabled() : target.dryRun()).isEmpty();
    assertThat(target.problems()).isEmpty();
    assertThat(target.switchProblems())
        .singleElement()
        .asString()
        .contains(key + ": \"" + value + "\" is not true or false; failing closed");
  }

  @Test
  void minAboveMaxRejectsTheTargetsValues() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/min-tasks", "8");
    parameters.put("jobs/max-tasks", "3");

    ParsedTarget target = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(target.problems()).containsExactly("min-tasks 8 is above max-tasks 3");
  }

  /**
   * A key a few edits from a real one is most likely that key mistyped; one far from every key (an
   * operator's own note) is named alone, since any guess would send them to the wrong key.
   */
  @Test
  void anUnknownKeyNamesTheKeyItWasMostLikelyATypoOfAndOnlyThen() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/backlog-per-tsak", "50");
    parameters.put("jobs/Max-Tasks", "50");
    parameters.put("jobs/owner-team", "payments");

    ParsedTarget target = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(target.allProblems())
        .containsExactly(
            "unknown key \"Max-Tasks\" (did you mean max-tasks?)",
            "unknown key \"backlog-per-tsak\" (did you mean backlog-per-task?)",
            "unknown key \"owner-team\"");
  }

  @Test
  void everyProblemOfATargetIsReportedAtOnce() {
    Map<String, String> parameters = required("jobs");
    parameters.remove("jobs/cluster");
    parameters.put("jobs/max-tasks", "many");
    parameters.put("jobs/max-task", "5");
    parameters.put("jobs/enabled", "yes");

    ParsedTarget target = ConfigurationParser.parse(parameters).rejected().get(0);

    assertThat(target.allProblems())
        .containsExactly(
            "unknown key \"max-task\" (did you mean max-tasks?)",
            "cluster is required but missing",
            "max-tasks: \"many\" is not an integer",
            "enabled: \"yes\" is not true or false; failing closed: nothing is changed until it"
                + " is fixed");
  }

  @Test
  void aTargetWithoutARequiredKeyIsRejectedWithTheReason() {
    Map<String, String> parameters = required("jobs");
    parameters.remove("jobs/service");
    parameters.put("other/queue-url", "not a url");
    parameters.put("other/cluster", "c");
    parameters.put("other/service", "s");

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).isEmpty();
    assertThat(configuration.rejected())
        .extracting(ParsedTarget::problems)
        .containsExactly(
            java.util.List.of("service is required but missing"),
            java.util.List.of("queue-url: \"not a url\" is not an SQS queue URL"));
  }

  /** No queue URL holds a backslash, a space or a control character: one that does is a typo. */
  @Test
  void aQueueUrlWithABackslashOrASpaceInsideIsRejected() {
    for (String typo :
        java.util.List.of(
            "http://localhost\\:9324/000000000000/jobs",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs queue",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/jo\u0007bs")) {
      Map<String, String> parameters = required("jobs");
      parameters.put("jobs/queue-url", typo);

      Configuration configuration = ConfigurationParser.parse(parameters);

      assertThat(configuration.targets()).as(typo).isEmpty();
      assertThat(configuration.rejected())
          .singleElement()
          .satisfies(
              target ->
                  assertThat(target.problems())
                      .singleElement()
                      .asString()
                      .startsWith("queue-url: ")
                      .endsWith(" is not an SQS queue URL"));
    }
  }

  @Test
  void namesOutsideTheLayoutAreWarningsSinceTheyBelongToNoTarget() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/nested/deeper", "x");
    parameters.put("bad name/max-tasks", "5");

    Configuration configuration = ConfigurationParser.parse(parameters);

    assertThat(configuration.targets()).hasSize(1);
    assertThat(configuration.warnings())
        .anySatisfy(w -> assertThat(w).contains("jobs/nested/deeper"))
        .anySatisfy(w -> assertThat(w).contains("bad name/max-tasks"));
  }

  @Test
  void storedValuesValidateAsTheyDidUnderThePrefix() {
    Map<String, String> parameters = required("jobs");
    parameters.put("jobs/max-tasks", "50");
    ParsedTarget found = ConfigurationParser.parse(parameters).parsed().get(0);

    ParsedTarget again = ConfigurationParser.parseTarget(new TargetName("jobs"), found.values());

    assertThat(again).isEqualTo(found);
    assertThat(found.values()).containsEntry("max-tasks", "50").containsKey("queue-url");
  }

  @Test
  void theReadmeParameterTableMatchesTheDefinitions() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));

    for (ParameterKey key : ParameterKey.values()) {
      String row =
          "| "
              + key.key()
              + " | "
              + key.kind().label()
              + " | "
              + key.tableDefault()
              + " | "
              + key.valid()
              + " |";
      assertThat(readme).as("README row for " + key.key()).contains(row);
    }
  }
}
