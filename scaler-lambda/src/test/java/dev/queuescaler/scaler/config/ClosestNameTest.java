package dev.queuescaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A "did you mean" names a key only where the typed one is most likely a slip of it: an operator
 * who follows a wrong hint changes the wrong setting and gets a valid configuration.
 */
class ClosestNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max_tasks | max-tasks",
        "max-task | max-tasks",
        "Max-Tasks | max-tasks",
        "MAX-TASKS | max-tasks",
        "backlog-per-tsak | backlog-per-task",
        "scale-in-stabilisation-seconds | scale-in-stabilization-seconds",
        "mix-tasks | min-tasks or max-tasks",
      })
  void aSlipOfOneOrTwoCharactersNamesTheKeyOrEveryKeyAsNear(String typed, String meant) {
    assertThat(ClosestName.to(typed, ParameterKey.keys())).contains(meant);
  }

  /** Another setting's name, or one this scaler does not have, is no slip of a key it has. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "scale-in-cooldown-seconds",
    "scale-down-cooldown-seconds",
    "scale-out-stabilization-seconds",
    "scale-out-when-drained",
    "scale-in-delay-seconds",
    "owner-team",
  })
  void anotherConceptGetsNoSuggestion(String typed) {
    assertThat(ClosestName.to(typed, ParameterKey.keys())).isEmpty();
  }
}
