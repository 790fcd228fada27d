package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** EventBridge's PutEvents over HTTP; keeps every entry it accepted. */
public final class FakeEventBridge extends FakeAwsServer {

  private final List<JsonNode> entries = new ArrayList<>();

  public FakeEventBridge() {
    on("PutEvents", this::put);
  }

  public List<JsonNode> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  private Reply put(JsonNode request) {
    ObjectNode response = JSON.createObjectNode();
    response.put("FailedEntryCount", 0);
    ArrayNode results = response.putArray("Entries");
    for (JsonNode entry : request.path("Entries")) {
      synchronized (entries) {
        entries.add(entry);
      }
      results.addObject().put("EventId", java.util.UUID.randomUUID().toString());
    }
    return Reply.ok(response.toString());
  }
}
