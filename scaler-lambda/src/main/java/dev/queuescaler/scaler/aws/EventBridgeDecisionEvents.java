package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.DecisionEvents;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.report.DecisionJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts one event per scaling decision on a bus: source {@value #SOURCE}, detail-type {@value
 * #DETAIL_TYPE}, detail = the decision's fields as the decision line has them, then {@code prefix}:
 * the parameter prefix of the scaler that decided ({@code /queue-scaler}), so that a consumer of a
 * bus two scalers share tells them apart (their targets may have the same names).
 */
public final class EventBridgeDecisionEvents implements DecisionEvents {

  public static final String SOURCE = "queue-scaler";
  public static final String DETAIL_TYPE = "Scaling Decision";
  public static final String DEFAULT_BUS = "default";

  /** PutEvents takes at most this many entries per call. */
  static final int ENTRIES_PER_CALL = 10;

  /**
   * The entries' error codes, inside an HTTP 200, that a moment may change: such an entry is
   * resubmitted. The SDK retries only a call that fails as a whole.
   */
  static final Set<String> PASSING_REJECTIONS = Set.of("ThrottlingException", "InternalFailure");

  /** How many times an entry rejected for a passing cause is resubmitted before it is reported. */
  static final int RESUBMITS = 2;

  /** The wait before the first resubmit, doubled before the next: throttling needs a moment. */
  static final Duration RESUBMIT_BACKOFF = Duration.ofMillis(100);

  /**
   * No call starts with less than this left before its bound: PutEvents answers in tens of
   * milliseconds, and a bus slow enough to need more would only time the call out.
   */
  public static final Duration SHORTEST_CALL = Duration.ofSeconds(1);

  /** No bound of the caller's: each call has the client's own timeout. */
  private static final Duration UNBOUNDED = Duration.ofDays(1);

  private final EventBridgeClient eventBridge;
  private final String bus;
  private final String prefix;

  /**
   * @param bus the event bus's name or ARN ({@code SCALER_EVENT_BUS})
   * @param prefix the scaler's parameter prefix ({@code SCALER_PARAMETER_PATH})
   */
  public EventBridgeDecisionEvents(EventBridgeClient eventBridge, String bus, String prefix) {
    this.eventBridge = Objects.requireNonNull(eventBridge, "eventBridge");
    this.bus = Objects.requireNonNull(bus, "bus");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  @Override
  public void publish(DecisionRecord decision) {
    Optional<RuntimeException> failure = publishAll(List.of(decision)).get(0);
    if (failure.isPresent()) {
      throw failure.get();
    }
  }

  /** Every entry, each call taking at most the client's call timeout. */
  @Override
  public List<Optional<RuntimeException>> publishAll(List<DecisionRecord> decisions) {
    return publishAll(decisions, UNBOUNDED);
  }

  /**
   * Ten entries a call (fewer where a target would be in it twice), while at least {@link
   * #SHORTEST_CALL} of {@code within} is left; each call, resubmits included, times out by its end
   * (measured on the machine's monotonic clock). PutEvents answers 200 with per-entry failures, in
   * the entries' order: each is its decision's own, those of a passing cause resubmitted (at most
   * {@link #RESUBMITS} times); a call that fails (after the SDK's retries) fails its entries with
   * {@link DecisionEvents.MaybeSent}: a call cut off by its timeout, or an attempt whose answer was
   * lost before the SDK sent it again, may have been taken; but one whose every attempt AWS refused
   * with a 4xx answer ({@code AwsFailure.rejected()}) was not, and fails them as not sent.
   */
  @Override
  public List<Optional<RuntimeException>> publishAll(
      List<DecisionRecord> decisions, Duration within) {
    TimeLeft by = new TimeLeft(System.nanoTime(), within);
    List<Optional<RuntimeException>> results = new ArrayList<>();
    for (int from = 0; from < decisions.size(); ) {
      if (by.left().compareTo(SHORTEST_CALL) < 0) {
        break; // the rest not tried: the caller gives them again, or reports them
      }
      int to = callEnd(decisions, from);
      results.addAll(putBatch(decisions.subList(from, to), by));
      from = to;
    }
    return results;
  }

  /**
   * Where the call that starts at {@code from} ends: after ten entries, or before a second decision
   * of a target already in it. A call's entries rejected for a passing cause are resubmitted after
   * the others were taken, so two decisions of one target in one call could arrive later one first,
   * and a consumer keeping each target's latest by arrival would keep the stale one. Calls go one
   * after another, each with its resubmits, so one target's events arrive in their order.
   */
  static int callEnd(List<DecisionRecord> decisions, int from) {
    Set<String> targets = new HashSet<>();
    int to = from;
    while (to < decisions.size()
        && to - from < ENTRIES_PER_CALL
        && targets.add(decisions.get(to).target())) {
      to++;
    }
    return to;
  }

  /** The time a caller gave, from when it gave it. */
  private record TimeLeft(long fromNanos, Duration given) {
    Duration left() {
      return given.minusNanos(System.nanoTime() - fromNanos);
    }
  }

  private PutEventsRequestEntry entry(DecisionRecord decision) {
    return PutEventsRequestEntry.builder()
        .eventBusName(bus)
        .source(SOURCE)
        .detailType(DETAIL_TYPE)
        .time(decision.time())
        .detail(DecisionJson.eventDetail(decision, prefix))
        .build();
  }

  /**
   * One call for {@code batch}, then one for the entries rejected for a passing cause, and so on.
   */
  private List<Optional<RuntimeException>> putBatch(List<DecisionRecord> batch, TimeLeft by) {
    List<Optional<RuntimeException>> results =
        new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty()));
    List<Integer> toSend = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      toSend.add(i);
    }
    for (int attempt = 0; ; attempt++) {
      List<PutEventsRequestEntry> entries =
          toSend.stream().map(batch::get).map(this::entry).toList();
      Duration timeout = by.left();
      PutEventsResponse response;
      try {
        response =
            eventBridge.putEvents(
                request -> {
                  request.entries(entries);
                  // Shorter than the client's own only when the caller's time is shorter.
                  if (timeout.compareTo(AwsClients.CALL_TIMEOUT) < 0) {
                    request.overrideConfiguration(o -> o.apiCallTimeout(timeout));
                  }
                });
      } catch (SdkException e) {
        AwsFailure failure = new AwsFailure("PutEvents", bus, e);
        // A call AWS refused at every attempt (4xx: AccessDenied, ValidationException, a bus that
        // is gone) was not taken; any other may have been.
        RuntimeException each =
            failure.rejected() ? failure : new DecisionEvents.MaybeSent(failure);
        for (int i : toSend) {
          results.set(i, Optional.of(each));
        }
        return results;
      }
      List<Integer> again = new ArrayList<>();
      for (int k = 0; k < toSend.size(); k++) {
        int i = toSend.get(k);
        if (k >= response.entries().size()) {
          results.set(i, Optional.of(new AwsFailure("PutEvents", bus, "no result for the entry")));
          continue;
        }
        PutEventsResultEntry result = response.entries().get(k);
        if (result.errorCode() == null) {
          results.set(i, Optional.empty());
          continue;
        }
        results.set(
            i,
            Optional.of(
                new AwsFailure(
                    "PutEvents",
                    bus,
                    "entry rejected: " + result.errorCode() + ": " + result.errorMessage())));
        if (PASSING_REJECTIONS.contains(result.errorCode())) {
          again.add(i);
        }
      }
      Duration backoff = RESUBMIT_BACKOFF.multipliedBy(1L << attempt);
      if (again.isEmpty()
          || attempt == RESUBMITS
          || by.left().minus(backoff).compareTo(SHORTEST_CALL) < 0
          || !waited(backoff)) {
        return results; // what is still rejected is reported as rejected
      }
      toSend = again;
    }
  }

  /** Sleeps {@code backoff}; false when interrupted (the function is ending: no resubmit). */
  private static boolean waited(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
