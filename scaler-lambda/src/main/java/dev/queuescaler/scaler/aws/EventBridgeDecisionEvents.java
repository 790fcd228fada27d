package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.DecisionEvents;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.report.DecisionJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

  /** PutEvents takes at most this many entries per call. */
  static final int ENTRIES_PER_CALL = 10;

  @Override
  public void publish(DecisionRecord decision) {
    Optional<RuntimeException> failure = publishAll(List.of(decision)).get(0);
    if (failure.isPresent()) {
      throw failure.get();
    }
  }

  /**
   * Ten entries a call. PutEvents answers 200 with per-entry failures, in the entries' order: each
   * is its decision's own; a call that fails (after the SDK's retries) fails its ten.
   */
  @Override
  public List<Optional<RuntimeException>> publishAll(List<DecisionRecord> decisions) {
    List<Optional<RuntimeException>> results = new ArrayList<>();
    for (int from = 0; from < decisions.size(); from += ENTRIES_PER_CALL) {
      List<DecisionRecord> batch =
          decisions.subList(from, Math.min(decisions.size(), from + ENTRIES_PER_CALL));
      results.addAll(putBatch(batch));
    }
    return results;
  }

  private List<Optional<RuntimeException>> putBatch(List<DecisionRecord> batch) {
    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (DecisionRecord decision : batch) {
      entries.add(
          PutEventsRequestEntry.builder()
              .eventBusName(bus)
              .source(SOURCE)
              .detailType(DETAIL_TYPE)
              .time(decision.time())
              .detail(DecisionJson.eventDetail(decision, prefix))
              .build());
    }
    List<Optional<RuntimeException>> results = new ArrayList<>();
    PutEventsResponse response;
    try {
      response = eventBridge.putEvents(request -> request.entries(entries));
    } catch (SdkException e) {
      for (int i = 0; i < batch.size(); i++) {
        results.add(Optional.of(new AwsFailure("PutEvents", bus, e)));
      }
      return results;
    }
    for (int i = 0; i < batch.size(); i++) {
      PutEventsResultEntry entry = i < response.entries().size() ? response.entries().get(i) : null;
      if (entry == null) {
        results.add(Optional.of(new AwsFailure("PutEvents", bus, "no result for the entry")));
      } else if (entry.errorCode() != null) {
        results.add(
            Optional.of(
                new AwsFailure(
                    "PutEvents",
                    bus,
                    "entry rejected: " + entry.errorCode() + ": " + entry.errorMessage())));
      } else {
        results.add(Optional.empty());
      }
    }
    return results;
  }
}
