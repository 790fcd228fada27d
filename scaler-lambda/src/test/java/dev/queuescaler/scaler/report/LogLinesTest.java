package dev.queuescaler.scaler.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.TargetOutcome;
import dev.queuescaler.scaler.policy.Action;
import dev.queuescaler.scaler.policy.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lines the way Lambda's JSON log format reads them: a level, the request, the trace. */
class LogLinesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final LogCorrelation correlation =
      new LogCorrelation(() -> Optional.of("1-6566f1b0-00112233445566778899aabb"));

  private List<JsonNode> lines() throws Exception {
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static TargetOutcome outcome(boolean completed, List<String> errors) {
    return new TargetOutcome(
        new DecisionRecord(
            "orders",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Action.HOLD,
            completed ? Reason.WITHIN_TARGET : Reason.SERVICE_UNREADABLE,
            false,
            errors,
            Instant.parse("2026-11-27T12:00:00Z")),
        completed ? Optional.empty() : Optional.of(FailureKind.PASSING),
        0,
        1);
  }

  @Test
  void aDecisionLineNamesItsLevelRequestAndTrace() throws Exception {
    correlation.beginRequest("8f5e1d3a-request");
    DecisionLineSink sink = new DecisionLineSink(out, LogLevel.INFO, correlation);

    sink.accept(outcome(true, List.of()));
    sink.accept(outcome(true, List.of("sqs: throttled")));
    sink.accept(outcome(false, List.of("ecs: MISSING")));

    assertThat(lines())
        .extracting(l -> l.get("level").asText())
        .containsExactly("INFO", "WARN", "ERROR");
    JsonNode first = lines().get(0);
    assertThat(first.get("requestId").asText()).isEqualTo("8f5e1d3a-request");
    assertThat(first.get("traceId").asText()).isEqualTo("1-6566f1b0-00112233445566778899aabb");
    assertThat(first.get("target").asText()).isEqualTo("orders");
  }

  @Test
  void linesBelowTheLogLevelAreNotWritten() throws Exception {
    new DecisionLineSink(out, LogLevel.WARN, correlation).accept(outcome(true, List.of()));
    JsonOperatorLog log =
        new JsonOperatorLog(
            out, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), LogLevel.WARN, correlation);
    log.info("cycle started");
    log.warn("batched service read failed");

    assertThat(lines())
        .singleElement()
        .satisfies(
            l -> assertThat(l.get("message").asText()).isEqualTo("batched service read failed"));
  }

  @Test
  void anOperatorLineCarriesTheSameRequestAndTrace() throws Exception {
    correlation.beginRequest("run-7");
    new JsonOperatorLog(out, Clock.systemUTC(), LogLevel.INFO, correlation).error("boom");

    JsonNode line = lines().get(0);
    assertThat(line.get("level").asText()).isEqualTo("ERROR");
    assertThat(line.get("requestId").asText()).isEqualTo("run-7");
    assertThat(line.get("traceId").asText()).startsWith("1-");
  }

  @Test
  void withoutARequestOrATraceTheFieldsAreNullNotMissing() throws Exception {
    new DecisionLineSink(out).accept(outcome(true, List.of()));

    JsonNode line = lines().get(0);
    assertThat(line.get("requestId").isNull()).isTrue();
    assertThat(line.get("traceId").isNull()).isTrue();
  }

  @Test
  void theLevelComesFromLambdasVariableAndABadOneIsNamed() {
    assertThat(LogLevel.fromEnvironment(Map.of())).isEqualTo(LogLevel.INFO);
    assertThat(LogLevel.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "debug")))
        .isEqualTo(LogLevel.DEBUG);
    assertThatThrownBy(() -> LogLevel.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "LOUD")))
        .hasMessageContaining("AWS_LAMBDA_LOG_LEVEL")
        .hasMessageContaining("LOUD");
  }
}
