package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void theBurstStartsAtOnceThenCallsAreSpacedAtTheRate() {
    Pacer pacer = new Pacer(3, 2, Duration.ofSeconds(5));

    assertThat(pacer.reserve(0)).isZero();
    assertThat(pacer.reserve(0)).isZero();
    assertThat(pacer.reserve(0)).isZero();
    assertThat(pacer.reserve(0)).isEqualTo(SECOND / 2);
    assertThat(pacer.reserve(0)).isEqualTo(SECOND);
  }

  @Test
  void idleTimeRefillsUpToTheBurstOnly() {
    Pacer pacer = new Pacer(2, 1, Duration.ofSeconds(5));
    pacer.reserve(0);
    pacer.reserve(0);

    assertThat(pacer.reserve(100 * SECOND)).isZero();
    assertThat(pacer.reserve(100 * SECOND)).isZero();
    assertThat(pacer.reserve(100 * SECOND)).isEqualTo(SECOND);
  }

  @Test
  void aSlotFurtherThanTheLongestWaitIsNotReservedAndTheCallGoesAhead() {
    Pacer pacer = new Pacer(1, 1, Duration.ofMillis(1_500));
    pacer.reserve(0);
    assertThat(pacer.reserve(0)).isEqualTo(SECOND);

    assertThat(pacer.reserve(0)).as("2 s away, more than 1.5 s").isZero();
    assertThat(pacer.reserve(SECOND)).as("the refused slot took no token").isEqualTo(SECOND);
  }

  @Test
  void theDefaultShareIsHalfOfAQuota() {
    Pacer updates = AccountQuotas.updateService(AccountQuotas.DEFAULT_SHARE_PERCENT);

    for (int i = 0; i < 25; i++) {
      assertThat(updates.reserve(0)).isZero();
    }
    assertThat(updates.reserve(0)).isEqualTo(SECOND * 2 / 5);
  }

  @Test
  void callersSleepUntilTheirSlot() throws InterruptedException {
    Pacer pacer = new Pacer(1, 4, Duration.ofSeconds(5));
    Duration[] slept = new Duration[1];

    pacer.acquire(0, d -> slept[0] = d);
    Duration waited = pacer.acquire(0, d -> slept[0] = d);

    assertThat(waited).isEqualTo(Duration.ofMillis(250));
    assertThat(slept[0]).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aLargerShareAllowsALargerBurstAndRate() {
    Pacer updates = AccountQuotas.updateService(80);

    for (int i = 0; i < 40; i++) {
      assertThat(updates.reserve(0)).isZero();
    }
    assertThat(updates.reserve(0)).isEqualTo(SECOND / 4);
  }

  @Test
  void aShareOutsideOneToAHundredPercentIsRefused() {
    assertThatThrownBy(() -> AccountQuotas.updateService(0))
        .hasMessageContaining("from 1 to 100 but was 0");
    assertThatThrownBy(() -> AccountQuotas.describeServices(101))
        .hasMessageContaining("from 1 to 100 but was 101");
  }
}
