package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.config.TargetConfig;
import dev.queuescaler.scaler.config.TargetName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which configuration each target runs on: a change that does not validate, or that names a service
 * another target scales, is reported and not applied, as an admission check rejects a bad object;
 * the last valid configuration stays in force.
 */
class ConfigurationAdmissionTest {

  private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  private static final TargetName ORDERS = new TargetName("orders");
  private static final TargetName COPY = new TargetName("copy");

  private final Map<String, String> ssm = new HashMap<>();
  private final List<TargetName> saves = new ArrayList<>();
  private final List<TargetName> forgotten = new ArrayList<>();
  private boolean storeBroken;
  private final ValidConfigurations table = ValidConfigurations.inMemory();

  /** The table, counting writes, and failing when broken. */
  private final ValidConfigurations store =
      new ValidConfigurations() {
        @Override
        public Map<TargetName, Stored> load(Collection<TargetName> targets) {
          if (storeBroken) {
            throw new IllegalStateException("BatchGetItem failed: InternalServerError");
          }
          return table.load(targets);
        }

        @Override
        public void save(TargetName target, Stored configuration) {
          if (storeBroken) {
            throw new IllegalStateException("PutItem failed: InternalServerError");
          }
          saves.add(target);
          table.save(target, configuration);
        }

        @Override
        public void forget(TargetName target) {
          forgotten.add(target);
          table.forget(target);
        }
      };

  private ConfigurationAdmission container = new ConfigurationAdmission(store, OperatorLog.NONE);
  private Instant now = T0;

  private void target(String name, String cluster, String service, Map<String, String> more) {
    ssm.put(name + "/queue-url", "https://sqs.local/0/" + name);
    ssm.put(name + "/cluster", cluster);
    ssm.put(name + "/service", service);
    more.forEach((key, value) -> ssm.put(name + "/" + key, value));
  }

  private ConfigurationAdmission.Admitted cycle() {
    return cycle(true);
  }

  private ConfigurationAdmission.Admitted cycle(boolean stores) {
    ConfigurationAdmission.Admitted admitted =
        container.admit(ConfigurationParser.parse(ssm), now, stores);
    now = now.plus(Duration.ofMinutes(1));
    return admitted;
  }

  private static TargetConfig inForce(ConfigurationAdmission.Admitted admitted, TargetName name) {
    return admitted.targets().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in force: " + admitted));
  }

  private static List<String> held(ConfigurationAdmission.Admitted admitted, TargetName name) {
    return admitted.held().stream()
        .filter(h -> h.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not held: " + admitted))
        .problems();
  }

  private void newContainer() {
    container = new ConfigurationAdmission(store, OperatorLog.NONE);
  }

  // A change that does not validate.

  @Test
  void aWarmContainerFallsBackToTheConfigurationStoredLastNotToTheOneItRemembers() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "10"));
    cycle(); // the Lambda's warm container knows max-tasks 10
    ConfigurationAdmission lambda = container;

    target("orders", "workers", "orders-svc", Map.of("max-tasks", "50"));
    newContainer(); // the CLI's once stores 50 as the last valid configuration
    assertThat(inForce(cycle(), ORDERS).parameters().orElseThrow().maxTasks()).isEqualTo(50);

    target("orders", "workers", "orders-svc", Map.of("max-tasks", "1,000"));
    container = lambda;
    ConfigurationAdmission.Admitted typo = cycle();

    assertThat(inForce(typo, ORDERS).parameters().orElseThrow().maxTasks())
        .as("the last valid configuration, as stored, not as this container last saw it")
        .isEqualTo(50);
  }

  @Test
  void whoHoldsASharedServiceIsDecidedOnWhatIsStoredNow() {
    target("orders", "workers", "orders-svc", Map.of());
    target("copy", "workers", "copy-svc", Map.of());
    cycle();
    ConfigurationAdmission lambda = container;

    // The CLI's once moves orders to another service and stores that: copy-svc is now free.
    target("orders", "workers", "other-svc", Map.of());
    newContainer();
    cycle();

    // Then copy is pointed at orders-svc: orders no longer holds it anywhere but in the Lambda's
    // memory, so copy takes it.
    target("copy", "workers", "orders-svc", Map.of());
    container = lambda;
    ConfigurationAdmission.Admitted next = cycle();

    assertThat(inForce(next, COPY).service()).isEqualTo("orders-svc");
    assertThat(inForce(next, ORDERS).service()).isEqualTo("other-svc");
  }

  @Test
  void validValuesAreStoredOnceNotOnEveryCycle() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "50"));

    cycle();
    cycle();
    newContainer();
    cycle();

    assertThat(saves).containsExactly(ORDERS);
    ssm.put("orders/max-tasks", "60");
    cycle();
    assertThat(saves).as("and again when they change").containsExactly(ORDERS, ORDERS);
  }

  @Test
  void aChangeThatDoesNotValidateLeavesTheLastValidConfigurationInForceAndSaysSince() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "50"));
    cycle();
    ssm.put("orders/max-tasks", "1,000");
    ssm.put("orders/min-tasks", "-1");

    TargetConfig orders = inForce(cycle(), ORDERS);

    assertThat(orders.parameters().orElseThrow().maxTasks()).isEqualTo(50);
    assertThat(orders.problems())
        .containsExactly(
            "min-tasks: -1 is out of range (>= 0); change not applied: the last valid"
                + " configuration (stored 2026-11-28T12:00:00Z) stays in force",
            "max-tasks: \"1,000\" is not an integer; change not applied: the last valid"
                + " configuration (stored 2026-11-28T12:00:00Z) stays in force");
    assertThat(saves).as("nothing stored from a rejected change").hasSize(1);
  }

  @Test
  void aNewContainerFindsTheLastValidConfiguration() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "50"));
    cycle();
    ssm.put("orders/max-tasks", "1,000");
    newContainer();

    assertThat(inForce(cycle(), ORDERS).parameters().orElseThrow().maxTasks()).isEqualTo(50);
  }

  @Test
  void aKillSwitchWorksWhateverElseIsWrong() {
    target("orders", "workers", "orders-svc", Map.of());
    cycle();
    ssm.put("orders/max-tasks", "1,000");
    ssm.put("orders/enabled", "false");
    ssm.put("orders/dry-run", "true");

    TargetConfig orders = inForce(cycle(), ORDERS);

    assertThat(orders.enabled()).isFalse();
    assertThat(orders.dryRun()).isTrue();
  }

  @Test
  void aRejectedChangeNeverStartsAStoppedTarget() {
    target("orders", "workers", "orders-svc", Map.of("enabled", "false", "dry-run", "true"));
    cycle();
    ssm.put("orders/max-tasks", "1,000");
    ssm.put("orders/enabled", "true");
    ssm.put("orders/dry-run", "false");

    TargetConfig orders = inForce(cycle(), ORDERS);

    assertThat(orders.enabled()).isFalse();
    assertThat(orders.dryRun()).isTrue();
  }

  @Test
  void anUnreadableSwitchFailsClosedEvenWithALastValidConfiguration() {
    target("orders", "workers", "orders-svc", Map.of());
    cycle();
    ssm.put("orders/enabled", "ture");

    TargetConfig orders = inForce(cycle(), ORDERS);

    assertThat(orders.switchesReadable()).isFalse();
    assertThat(orders.enabled()).isFalse();
    assertThat(orders.problems())
        .containsExactly(
            "enabled: \"ture\" is not true or false; failing closed: nothing is changed until it"
                + " is fixed");
  }

  @Test
  void aTargetThatNeverHadAValidConfigurationHolds() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "abc"));

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(admitted.targets()).isEmpty();
    assertThat(held(admitted, ORDERS))
        .containsExactly(
            "max-tasks: \"abc\" is not an integer; no valid configuration yet: the target holds"
                + " until it is fixed");
  }

  @Test
  void aStoredConfigurationThatNoLongerValidatesIsNeverRunOn() {
    table.save(
        ORDERS,
        new ValidConfigurations.Stored(
            Map.of(
                "queue-url", "https://sqs.local/0/orders",
                "cluster", "workers",
                "service", "orders-svc",
                "max-tasks", "0"),
            T0.minus(Duration.ofDays(1))));
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "abc"));

    assertThat(held(cycle(), ORDERS))
        .singleElement()
        .asString()
        .contains("no longer validates (max-tasks: 0 is out of range (>= 1))");
  }

  @Test
  void anUnreadableStoreHoldsAChangeThatDoesNotValidateAndRunsOneThatDoes() {
    target("orders", "workers", "orders-svc", Map.of("max-tasks", "abc"));
    target("billing", "workers", "billing-svc", Map.of());
    storeBroken = true;

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(held(admitted, ORDERS))
        .singleElement()
        .asString()
        .endsWith(
            "the last valid configuration could not be read (BatchGetItem failed:"
                + " InternalServerError): the target holds");
    assertThat(inForce(admitted, new TargetName("billing")).problems()).isEmpty();
    storeBroken = false;
    cycle();
    assertThat(saves).as("stored once the table is back").contains(new TargetName("billing"));
  }

  @Test
  void aTargetWhoseParametersAreAllGoneIsForgottenAndDoesNotComeBackWithANewTarget() {
    target("orders", "workers", "orders-svc", Map.of());
    cycle();
    ssm.clear();
    cycle();
    assertThat(forgotten).containsExactly(ORDERS);

    target("orders", "other-cluster", "other-svc", Map.of("max-tasks", "abc"));
    newContainer();

    assertThat(held(cycle(), ORDERS)).singleElement().asString().contains("no valid configuration");
  }

  @Test
  void aForcedDryRunStoresNothing() {
    target("orders", "workers", "orders-svc", Map.of());

    cycle(false);

    assertThat(saves).isEmpty();
  }

  // Two targets naming one service.

  @Test
  void theTargetWhoseLastValidConfigurationNamesTheServiceKeepsItAndTheOtherIsRejected() {
    target("orders", "workers", "orders-svc", Map.of());
    cycle();
    // The same service, by ARN, and the cluster by ARN.
    target(
        "copy",
        "arn:aws:ecs:eu-west-1:123456789012:cluster/workers",
        "arn:aws:ecs:eu-west-1:123456789012:service/workers/orders-svc",
        Map.of());

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(held(admitted, COPY))
        .containsExactly(
            "service workers/orders-svc is already scaled by target orders, whose last valid"
                + " configuration acts on it; no valid configuration yet: the target holds until it"
                + " is fixed");
    assertThat(inForce(admitted, ORDERS).problems())
        .containsExactly(
            "service workers/orders-svc is also named by target copy: not applied there; this"
                + " target keeps scaling it");
    assertThat(saves).as("the rejected change is not stored").containsExactly(ORDERS);
    assertThat(inForce(cycle(), ORDERS).problems()).as("until fixed").hasSize(1);
  }

  @Test
  void aRejectedTargetKeepsItsOwnLastValidService() {
    target("orders", "workers", "orders-svc", Map.of());
    target("copy", "workers", "copy-svc", Map.of());
    cycle();
    // The older ARN form, without the cluster.
    ssm.put("copy/service", "arn:aws:ecs:eu-west-1:123456789012:service/orders-svc");

    TargetConfig copy = inForce(cycle(), COPY);

    assertThat(copy.service()).isEqualTo("copy-svc");
    assertThat(copy.problems())
        .singleElement()
        .asString()
        .startsWith("service workers/orders-svc is already scaled by target orders")
        .endsWith("the last valid configuration (stored 2026-11-28T12:00:00Z) stays in force");
  }

  @Test
  void whenNoneOfTheTargetsHadTheServiceNoneActs() {
    target("orders", "workers", "orders-svc", Map.of());
    target("copy", "workers", "orders-svc", Map.of());
    target("third", "workers", "orders-svc", Map.of());

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(admitted.targets()).isEmpty();
    assertThat(held(admitted, ORDERS))
        .containsExactly(
            "service workers/orders-svc is also named by targets copy, third, and none of their"
                + " last valid configurations acts on it: none of them acts until only one names it");
    assertThat(held(admitted, COPY)).singleElement().asString().contains("targets orders, third");
    assertThat(saves).isEmpty();
  }

  @Test
  void whenBothChangeToOneServiceAtOnceNeitherActs() {
    target("orders", "workers", "orders-svc", Map.of());
    target("copy", "workers", "copy-svc", Map.of());
    cycle();
    ssm.put("orders/service", "shared-svc");
    ssm.put("copy/service", "shared-svc");

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(admitted.targets()).isEmpty();
    assertThat(held(admitted, ORDERS)).singleElement().asString().contains("target copy");
    assertThat(held(admitted, COPY)).singleElement().asString().contains("target orders");
  }

  @Test
  void aServiceOfTheSameNameInAnotherClusterIsAnotherService() {
    target("orders", "workers", "svc", Map.of());
    target("copy", "batch", "svc", Map.of());

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(admitted.targets()).hasSize(2).allMatch(t -> t.problems().isEmpty());
    assertThat(Optional.of(admitted.held())).contains(List.of());
  }

  @Test
  void aTargetThatNeverActsMayNameAServiceAnotherScalesAsATrialBesideIt() {
    target("orders", "workers", "orders-svc", Map.of());
    target("trial", "workers", "orders-svc", Map.of("dry-run", "true"));
    target("parked", "workers", "orders-svc", Map.of("enabled", "false"));

    ConfigurationAdmission.Admitted admitted = cycle();

    assertThat(admitted.targets()).hasSize(3).allMatch(t -> t.problems().isEmpty());
  }

  @Test
  void aTrialSwitchedLiveOnAServiceAnotherScalesIsRejectedAndStaysATrial() {
    target("orders", "workers", "orders-svc", Map.of());
    target("trial", "workers", "orders-svc", Map.of("dry-run", "true"));
    cycle();
    ssm.put("trial/dry-run", "false");

    ConfigurationAdmission.Admitted admitted = cycle();

    TargetConfig trial = inForce(admitted, new TargetName("trial"));
    assertThat(trial.dryRun()).isTrue();
    assertThat(trial.problems())
        .singleElement()
        .asString()
        .startsWith("service workers/orders-svc is already scaled by target orders");
    assertThat(inForce(admitted, ORDERS).dryRun()).isFalse();
    assertThat(inForce(admitted, ORDERS).problems())
        .singleElement()
        .asString()
        .contains("target trial");
  }
}
