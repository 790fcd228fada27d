package dev.queuescaler.scaler.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.aws.IdleCheckMessages;
import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.policy.BacklogRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks queue takes messages of up to 1 MiB (its MaximumMessageSize, and SQS's limit); one
 * check names up to {@link ScalingCycle#TARGETS_PER_CHECK} targets, counted, not measured.
 */
class IdleCheckSizeTest {

  /** The checks queue's and SQS's largest message. */
  private static final int LARGEST_MESSAGE = 1_048_576;

  @Test
  void aCheckOfTheMostTargetsOneMessageNamesFitsTheChecksQueue() {
    List<IdleCheck.Target> targets = new ArrayList<>();
    for (int i = 0; i < ScalingCycle.TARGETS_PER_CHECK; i++) {
      // A target name may have 64 characters, an SQS queue name 80.
      String name = String.format("%064d", i);
      String queueUrl =
          "https://sqs.ap-southeast-2.amazonaws.com/123456789012/" + String.format("%080d", i);
      targets.add(new IdleCheck.Target(new TargetName(name), queueUrl, BacklogRules.DEFAULTS));
    }
    IdleCheck check =
        new IdleCheck(Instant.parse("2026-11-27T12:00:00Z"), Duration.ofSeconds(15), targets);

    int bytes = IdleCheckMessages.encode(check).getBytes(StandardCharsets.UTF_8).length;

    assertThat(bytes).as("bytes of one check message").isLessThanOrEqualTo(LARGEST_MESSAGE);
  }
}
