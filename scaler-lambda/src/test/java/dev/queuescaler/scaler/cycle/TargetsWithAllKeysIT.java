package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queuescaler.scaler.config.ParameterKey;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.scaler.testing.ScalerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Targets written with every key (25), as a construct that writes defaults writes them, on moto's
 * Parameter Store, whose whole prefix takes longer to read than the function may run: no invocation
 * reads it whole, none outlives its deadline, and every target is decided within four invocations.
 * Scaled down from 1,000 targets at 20 pages a second (2,500 pages, 125 s): 100 targets at 2 pages
 * a second (250 pages and moto's last empty page, 125.5 s), the pacing on the harness's clock. At
 * 80 pages an invocation that takes four; at full scale the fleet benchmark read about 820 pages an
 * invocation and decided all 1,000 targets by the third with 24 keys (docs/fleet.md; a 25th key
 * leaves the last for a fourth). With 23 keys the model's three sufficed.
 */
class TargetsWithAllKeysIT {

  private static final int TARGETS = 100;
  private static final Duration PER_PAGE = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String PREFIX = "/all-keys";

  /** 40 s of pages at {@link #PER_PAGE}: where an invocation stops reading the prefix. */
  private static final int PAGES_PER_INVOCATION = 80;

  private static final int INVOCATIONS = 4;

  @Test
  void everyTargetIsDecidedWithinFourInvocationsAndNoneOutlivesItsDeadline() {
    try (LocalAws aws = LocalAws.withMoto()) {
      String queue = aws.createQueue("all-keys");
      for (int i = 0; i < TARGETS; i++) {
        String target = String.format("t%03d", i);
        aws.service(target + "-svc", 0);
        for (ParameterKey key : ParameterKey.values()) {
          String value =
              switch (key) {
                case QUEUE_URL -> queue;
                case CLUSTER -> LocalAws.CLUSTER;
                case SERVICE -> target + "-svc";
                // The default policy needs the worker's concurrency: the one key without a default.
                case TASK_CONCURRENCY -> "4";
                default -> key.defaultValue();
              };
          aws.putParameter(PREFIX + "/" + target + "/" + key.key(), value);
        }
      }
      int pagesOfPrefix = (TARGETS * ParameterKey.values().length + 9) / 10;
      AtomicInteger pages = new AtomicInteger();
      try (ScalerHarness scaler =
          ScalerHarness.withParameterReadModel(
              aws,
              PREFIX,
              ParameterReadModel.STEADY_PAGES,
              (ssm, clock) -> paced(ssm, clock, pages))) {
        Set<String> decided = new HashSet<>();
        int[] pagesPerInvocation = new int[INVOCATIONS];
        for (int invocation = 0; invocation < pagesPerInvocation.length; invocation++) {
          Instant start = scaler.clock.instant();
          Instant deadline = start.plus(TIMEOUT);
          int before = pages.get();

          scaler.run(CycleRequest.ALL_TARGETS.by(Deadline.at(deadline)));

          assertThat(scaler.clock.instant())
              .as("invocation %d ended in time", invocation)
              .isBefore(deadline);
          pagesPerInvocation[invocation] = pages.get() - before;
          for (JsonNode line : scaler.decisionLines()) {
            decided.add(line.path("target").asText());
          }
          scaler.clock.advance(Duration.between(scaler.clock.instant(), start.plusSeconds(60)));
        }

        assertThat(java.util.Arrays.stream(pagesPerInvocation).max().orElseThrow())
            .as("each stops at 40 s of pages: none reads the %d whole", pagesOfPrefix)
            .isEqualTo(PAGES_PER_INVOCATION);
        assertThat(java.util.Arrays.stream(pagesPerInvocation).sum())
            .as("the prefix once, and moto's last empty page")
            .isBetween(pagesOfPrefix, pagesOfPrefix + 1);
        assertThat(decided).hasSize(TARGETS);
        assertThat(scaler.decisionLines())
            .allSatisfy(line -> assertThat(line.path("errors").size()).isZero());
      }
    }
  }

  /** Each page takes {@link #PER_PAGE} of the harness's clock, as the pacer spaces them. */
  private static ParameterPages paced(
      ParameterPages ssm, dev.queuescaler.testsupport.MutableClock clock, AtomicInteger pages) {
    return new ParameterPages() {
      @Override
      public Page page(Optional<String> from) {
        clock.advance(PER_PAGE);
        pages.incrementAndGet();
        return ssm.page(from);
      }

      @Override
      public java.util.Map<String, String> readTarget(dev.queuescaler.scaler.config.TargetName t) {
        return ssm.readTarget(t);
      }

      @Override
      public String describe() {
        return ssm.describe();
      }
    };
  }
}
