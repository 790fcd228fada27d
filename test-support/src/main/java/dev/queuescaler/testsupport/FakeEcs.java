package dev.queuescaler.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ECS's DescribeServices and UpdateService over HTTP, with services held in memory and faults to
 * inject: throttling for the next N updates, a service whose updates always fail with a 5xx.
 */
public final class FakeEcs extends FakeAwsServer {

  /** A service's counts. */
  public record Counts(int desired, int running, int pending) {}

  private final Map<String, Counts> services = new ConcurrentHashMap<>();
  private final Set<String> brokenServices = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttledUpdates = new AtomicInteger();
  private final AtomicInteger throttledDescribes = new AtomicInteger();

  public FakeEcs() {
    on("DescribeServices", this::describe);
    on("UpdateService", this::update);
  }

  public void put(String cluster, String service, int desired, int running, int pending) {
    services.put(key(cluster, service), new Counts(desired, running, pending));
  }

  public Counts counts(String cluster, String service) {
    return services.get(key(cluster, service));
  }

  public int desired(String cluster, String service) {
    return counts(cluster, service).desired();
  }

  /** The next {@code n} UpdateService calls answer ThrottlingException. */
  public void throttleNextUpdates(int n) {
    throttledUpdates.set(n);
  }

  public void throttleNextDescribes(int n) {
    throttledDescribes.set(n);
  }

  /** Every UpdateService on this service answers HTTP 500. */
  public void breakUpdates(String cluster, String service) {
    brokenServices.add(key(cluster, service));
  }

  private Reply describe(JsonNode request) {
    if (throttledDescribes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Reply.error(400, "ThrottlingException", "Rate exceeded");
    }
    String cluster = request.path("cluster").asText("default");
    ObjectNode response = JSON.createObjectNode();
    ArrayNode found = response.putArray("services");
    ArrayNode failures = response.putArray("failures");
    for (JsonNode name : request.path("services")) {
      Counts counts = services.get(key(cluster, name.asText()));
      if (counts == null) {
        failures.addObject().put("arn", arn(cluster, name.asText())).put("reason", "MISSING");
      } else {
        found.add(service(cluster, name.asText(), counts));
      }
    }
    return Reply.ok(response.toString());
  }

  private Reply update(JsonNode request) {
    String cluster = request.path("cluster").asText("default");
    String name = request.path("service").asText();
    if (throttledUpdates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Reply.error(400, "ThrottlingException", "Rate exceeded");
    }
    if (brokenServices.contains(key(cluster, name))) {
      return Reply.error(500, "ServerException", "Service Unavailable");
    }
    Counts counts = services.get(key(cluster, name));
    if (counts == null) {
      return Reply.error(400, "ServiceNotFoundException", "Service not found.");
    }
    Counts updated =
        new Counts(
            request.path("desiredCount").asInt(counts.desired()),
            counts.running(),
            counts.pending());
    services.put(key(cluster, name), updated);
    ObjectNode response = JSON.createObjectNode();
    response.set("service", service(cluster, name, updated));
    return Reply.ok(response.toString());
  }

  private static ObjectNode service(String cluster, String name, Counts counts) {
    ObjectNode service = JSON.createObjectNode();
    service.put("serviceName", name);
    service.put("serviceArn", arn(cluster, name));
    service.put("clusterArn", "arn:aws:ecs:us-east-1:000000000000:cluster/" + cluster);
    service.put("status", "ACTIVE");
    service.put("desiredCount", counts.desired());
    service.put("runningCount", counts.running());
    service.put("pendingCount", counts.pending());
    return service;
  }

  private static String arn(String cluster, String name) {
    return "arn:aws:ecs:us-east-1:000000000000:service/" + cluster + "/" + name;
  }

  private static String key(String cluster, String service) {
    return cluster + "/" + service;
  }
}
