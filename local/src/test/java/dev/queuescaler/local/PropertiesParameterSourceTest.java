package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.ConfigurationParser;
import dev.queuescaler.scaler.policy.LoadTerm;
import dev.queuescaler.scaler.policy.ScalingFormula;
import dev.queuescaler.scaler.policy.ScalingParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesParameterSourceTest {

  @Test
  void theLocalRunScalesWithTheDefaultLoadTermOnTheLocalWorkersOwnConcurrency(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("scaler.properties");
    Files.writeString(file, "max-tasks=8\n");

    ScalingParameters parameters = parametersFrom(file);

    assertThat(parameters.formula()).isEqualTo(ScalingFormula.BACKLOG_AND_LOAD);
    assertThat(parameters.load()).contains(new LoadTerm(LocalFleet.WORKER_CONCURRENCY * 10, 120));
    assertThat(parameters.maxTasks()).isEqualTo(8);
  }

  @Test
  void theBacklogPerTaskFormulaChosenInTheFileIsTheOneUsed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("scaler.properties");
    Files.writeString(file, "policy=backlog-per-task\n");

    assertThat(parametersFrom(file).formula()).isEqualTo(ScalingFormula.BACKLOG_PER_TASK);
  }

  @Test
  void theFileWinsOverTheFleetsValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("scaler.properties");
    Files.writeString(file, "policy=backlog-and-load\ntask-concurrency=5\n");

    assertThat(parametersFrom(file).load().orElseThrow().taskConcurrency()).isEqualTo(5);
  }

  @Test
  void theTunablesFileTheProjectShipsPassesTheCheckThatRunLocalMakes() {
    // ./run-local runs from the repository root with --config local/scaler.properties; the tests
    // run in local/.
    Path shipped = Path.of("scaler.properties");

    PropertiesParameterSource.check(shipped, "--config");
    assertThat(parametersFrom(shipped).maxTasks()).isPositive();
  }

  @Test
  void aByteOrderMarkAnEditorSavedIsNotPartOfTheFirstKey(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("scaler.properties");
    Files.writeString(file, "\uFEFFmax-tasks=7\n");

    PropertiesParameterSource.check(file, "--config");
    assertThat(parametersFrom(file).maxTasks()).isEqualTo(7);
  }

  @Test
  void aFileDeletedDuringTheRunFailsTheReadInsteadOfFallingBackToTheCodesDefaults(
      @TempDir Path dir) {
    PropertiesParameterSource source =
        new PropertiesParameterSource(
            dir.resolve("gone.properties"), "http://localhost:9324/000000000000/work");

    org.assertj.core.api.Assertions.assertThatThrownBy(source::readAll)
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("gone.properties");
  }

  /** The local target's parameters as the scaler's own parser reads the file. */
  private static ScalingParameters parametersFrom(Path file) {
    return ConfigurationParser.parse(
            new PropertiesParameterSource(file, "http://localhost:9324/000000000000/work")
                .readAll())
        .targets()
        .get(0)
        .parameters()
        .orElseThrow();
  }
}
