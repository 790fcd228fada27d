package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.DecisionEvents;
import dev.queuescaler.scaler.cycle.DecisionRecord;
import dev.queuescaler.scaler.report.DecisionJson;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts one event per scaling decision on a bus: source {@value #SOURCE}, detail-type {@value
 * #DETAIL_TYPE}, detail = the decision line.
 */
public final class EventBridgeDecisionEvents implements DecisionEvents {

  public static final String SOURCE = "queue-scaler";
  public static final String DETAIL_TYPE = "Scaling Decision";
  public static final String DEFAULT_BUS = "default";

  private final EventBridgeClient eventBridge;
  private final String bus;

  public EventBridgeDecisionEvents(EventBridgeClient eventBridge, String bus) {
    this.eventBridge = eventBridge;
    this.bus = bus;
  }

  @Override
  public void publish(DecisionRecord decision) {
    PutEventsResponse response;
    try {
      response =
          eventBridge.putEvents(
              request ->
                  request.entries(
                      entry ->
                          entry
                              .eventBusName(bus)
                              .source(SOURCE)
                              .detailType(DETAIL_TYPE)
                              .time(decision.time())
                              .detail(DecisionJson.line(decision))));
    } catch (SdkException e) {
      throw new AwsFailure("PutEvents", bus, e);
    }
    // PutEvents answers 200 with per-entry failures: check them.
    if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
      PutEventsResultEntry failed = response.entries().get(0);
      throw new AwsFailure(
          "PutEvents", bus, "entry rejected: " + failed.errorCode() + ": " + failed.errorMessage());
    }
  }
}
