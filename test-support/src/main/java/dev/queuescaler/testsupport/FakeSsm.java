package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * SSM's GetParametersByPath over HTTP. Pages hold at most MaxResults (SSM's limit is 10) and at
 * most the fake's page size: the tests use short pages (as SSM may send) so that a client that
 * reads only the first page fails them.
 */
public final class FakeSsm extends FakeAwsServer {

  private final Map<String, String> parameters = new ConcurrentSkipListMap<>();
  private final int pageSize;

  public FakeSsm(int pageSize) {
    this.pageSize = pageSize;
    on("GetParametersByPath", this::byPath);
  }

  public void put(String name, String value) {
    parameters.put(name, value);
  }

  public void remove(String name) {
    parameters.remove(name);
  }

  /** Puts every key of one target under {@code prefix/target/}. */
  public void putTarget(String prefix, String target, Map<String, String> keys) {
    keys.forEach((key, value) -> put(prefix + "/" + target + "/" + key, value));
  }

  private Reply byPath(JsonNode request) {
    String path = request.path("Path").asText();
    boolean recursive = request.path("Recursive").asBoolean(false);
    int start =
        request.hasNonNull("NextToken") ? Integer.parseInt(request.get("NextToken").asText()) : 0;
    List<Map.Entry<String, String>> matching =
        parameters.entrySet().stream()
            .filter(e -> e.getKey().startsWith(path))
            .filter(e -> recursive || !e.getKey().substring(path.length()).contains("/"))
            .toList();
    ObjectNode response = JSON.createObjectNode();
    ArrayNode page = response.putArray("Parameters");
    int asked = request.path("MaxResults").asInt(10);
    int end = Math.min(matching.size(), start + Math.min(asked, pageSize));
    for (Map.Entry<String, String> entry : matching.subList(start, end)) {
      page.addObject()
          .put("Name", entry.getKey())
          .put("Value", entry.getValue())
          .put("Type", "String")
          .put("Version", 1);
    }
    if (end < matching.size()) {
      response.put("NextToken", Integer.toString(end));
    }
    return Reply.ok(response.toString());
  }
}
