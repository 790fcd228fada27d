package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queuescaler.scaler.cycle.CycleLease;
import dev.queuescaler.scaler.testing.LocalAws;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cycle lease's clock check against a DynamoDB-compatible server (dynalite), through a proxy
 * that delays answers: a slow call is not a clock that is off, and lets no clock that is off pass.
 */
class CycleLeaseClockIT {

  private static final LocalAws aws = LocalAws.withFakes();
  private static final FaultInjectingProxy proxy =
      new FaultInjectingProxy(aws.dynamoDbServer.endpoint());
  private static final DynamoDbClient throughProxy =
      aws.configure(DynamoDbClient.builder(), proxy.endpoint())
          .overrideConfiguration(AwsClients.overrides(List.of()))
          .build();

  @BeforeEach
  void empty() {
    aws.clearState();
  }

  @AfterAll
  static void stop() {
    throughProxy.close();
    proxy.close();
    aws.close();
  }

  @Test
  void aLeaseReadThatTakesSecondsIsNotMistakenForAClockBehindAws() {
    // The lease's GetItem: its first attempt gets no answer within the client's 5 s attempt
    // timeout, the SDK's retry answers 2 s later. AWS's Date is then 7 s after the time the cycle
    // took before the call, though this machine's clock is exact.
    AtomicInteger attempts = new AtomicInteger();
    proxy.fail(
        "GetItem",
        request -> {
          pause(attempts.getAndIncrement() == 0 ? 6_000 : 2_000);
          return Optional.empty();
        });
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant now = Instant.now();

    assertThatCode(
            () ->
                assertThat(
                        lease.tryAcquire(new CycleLease.Holder("lambda", now.plusSeconds(90)), now))
                    .as("the lease is free: taken")
                    .isEmpty())
        .as("a clock in sync is not refused because the lease read was slow")
        .doesNotThrowAnyException();
    assertThat(proxy.calls("GetItem")).as("the SDK retried the read").hasSizeGreaterThan(1);
  }

  @Test
  void aClockBehindAwsIsStillRefusedWhenTheLeaseReadIsSlow() {
    // A 2 s read cannot hide a clock 10 s behind: AWS's Date is about 8 s after the answer arrived
    // by this clock.
    proxy.fail(
        "GetItem",
        request -> {
          pause(2_000);
          return Optional.empty();
        });
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant behind = Instant.now().minusSeconds(10);
    int writesBefore = proxy.calls("PutItem").size();

    assertThatThrownBy(
            () -> lease.tryAcquire(new CycleLease.Holder("laptop", behind.plusSeconds(90)), behind))
        .hasMessageContaining("s behind AWS's")
        .hasMessageContaining("fix its time sync");
    assertThat(proxy.calls("PutItem")).as("no lease written").hasSize(writesBefore);
  }

  @Test
  void aClockAheadOfAwsIsStillRefusedWhenTheLeaseReadWasRetried() {
    // The lease's GetItem: its first attempt gets no answer within the client's 5 s attempt
    // timeout, the SDK's retry answers at once. AWS's Date is the retry's, stamped 5 s after the
    // time the cycle took before the call. This machine's clock is 9 s ahead of AWS's: a cycle on
    // it and a Lambda 5 s behind would be 14 s apart, beyond the lease's 10 s skew allowance.
    AtomicInteger attempts = new AtomicInteger();
    proxy.fail(
        "GetItem",
        request -> {
          if (attempts.getAndIncrement() == 0) {
            pause(6_000);
          }
          return Optional.empty();
        });
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant ahead = Instant.now().plusSeconds(9);
    int writesBefore = proxy.calls("PutItem").size();

    assertThatThrownBy(
            () -> lease.tryAcquire(new CycleLease.Holder("laptop", ahead.plusSeconds(90)), ahead))
        .as("a clock 9 s ahead is refused, however long the read's first attempt took")
        .hasMessageContaining("s ahead of AWS's")
        .hasMessageContaining("fix its time sync");
    assertThat(proxy.calls("GetItem")).as("the SDK retried the read").hasSizeGreaterThan(1);
    assertThat(proxy.calls("PutItem")).as("no lease written").hasSize(writesBefore);
  }

  @Test
  void aClockThatNoLeaseReadIsQuickEnoughToShowWithinFiveSecondsIsRefused() {
    // Every read takes 2.5 s, and this clock is 3 s behind AWS's: each answer allows a clock up to
    // 6.5 s behind, so neither the read nor the read again can show it within 5 s.
    proxy.fail(
        "GetItem",
        request -> {
          pause(2_500);
          return Optional.empty();
        });
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant behind = Instant.now().minusSeconds(3);
    int readsBefore = proxy.calls("GetItem").size();
    int writesBefore = proxy.calls("PutItem").size();

    assertThatThrownBy(
            () -> lease.tryAcquire(new CycleLease.Holder("laptop", behind.plusSeconds(90)), behind))
        .hasMessageContaining("may be")
        .hasMessageContaining("s behind AWS's")
        .hasMessageContaining("fix its time sync")
        .satisfies(
            refused ->
                assertThat(readsTook(refused.getMessage()))
                    .as("each read held 2.5 s, under its 5 s attempt timeout")
                    .allSatisfy(took -> assertThat(took).isBetween(2.5, 5.0)));
    assertThat(proxy.calls("GetItem")).as("read again once").hasSize(readsBefore + 2);
    assertThat(proxy.calls("PutItem")).as("no lease written").hasSize(writesBefore);
  }

  @Test
  void aClockIsRefusedWhenTheReadAgainIsTooSlowToShowIt() {
    // The first read retries after its 5 s attempt timeout, so it cannot show even a clock in
    // sync within 5 s; the read again gets no answer within the 4 s it is given.
    AtomicInteger attempts = new AtomicInteger();
    proxy.fail(
        "GetItem",
        request -> {
          int attempt = attempts.getAndIncrement();
          if (attempt != 1) {
            pause(6_000);
          }
          return Optional.empty();
        });
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant now = Instant.now();
    int writesBefore = proxy.calls("PutItem").size();

    assertThatThrownBy(
            () -> lease.tryAcquire(new CycleLease.Holder("lambda", now.plusSeconds(90)), now))
        .hasMessageContaining("(given up) cannot show this machine's clock within 5 s")
        .satisfies(
            refused -> {
              List<Double> took = readsTook(refused.getMessage());
              assertThat(took.get(0))
                  .as("the read, past its 5 s attempt timeout")
                  .isBetween(5.0, 8.0);
              assertThat(took.get(1)).as("the read again, given up at 4 s").isBetween(4.0, 7.0);
            });
    assertThat(attempts).as("two attempts, then the read again").hasValue(3);
    assertThat(proxy.calls("PutItem")).as("no lease written").hasSize(writesBefore);
  }

  @Test
  void aClockAheadOfAwsIsRefused() {
    proxy.fail("GetItem", request -> Optional.empty());
    DynamoDbCycleLease lease = new DynamoDbCycleLease(throughProxy, LocalAws.TABLE);
    Instant ahead = Instant.now().plusSeconds(10);
    int writesBefore = proxy.calls("PutItem").size();

    assertThatThrownBy(
            () -> lease.tryAcquire(new CycleLease.Holder("laptop", ahead.plusSeconds(90)), ahead))
        .hasMessageContaining("s ahead of AWS's")
        .hasMessageContaining("fix its time sync");
    assertThat(proxy.calls("PutItem")).as("no lease written").hasSize(writesBefore);
  }

  /** The seconds the refusal says the read and the read again took ("took 2.5 s and 2.6 s"). */
  private static List<Double> readsTook(String refusal) {
    Matcher took =
        Pattern.compile("lease reads that took (\\d+\\.\\d) s and (\\d+\\.\\d) s").matcher(refusal);
    assertThat(took.find()).as(refusal).isTrue();
    return List.of(Double.parseDouble(took.group(1)), Double.parseDouble(took.group(2)));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
