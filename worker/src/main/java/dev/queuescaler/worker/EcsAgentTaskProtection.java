package dev.queuescaler.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Task scale-in protection through the ECS agent: {@code PUT
 * $ECS_AGENT_URI/task-protection/v1/state} with {@code {"ProtectionEnabled": true,
 * "ExpiresInMinutes": N}} while busy, {@code false} once idle for a short grace period. The state
 * is reconciled every second, so the agent sees one call per change, and protection is renewed
 * before it expires.
 */
final class EcsAgentTaskProtection implements TaskProtection {

  static final int EXPIRES_IN_MINUTES = 15;
  static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private final URI stateUri;
  private final BooleanSupplier busy;
  private final Duration idleGrace;
  private final JsonLog log;
  private final InstantSource clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "task-protection");
            thread.setDaemon(true);
            return thread;
          });

  private boolean protectedNow;
  private Instant protectedUntil = Instant.EPOCH;
  private Instant lastBusy = Instant.EPOCH;

  EcsAgentTaskProtection(
      URI agentUri, BooleanSupplier busy, Duration idleGrace, JsonLog log, InstantSource clock) {
    this.clock = clock;
    String base = agentUri.toString();
    this.stateUri =
        URI.create((base.endsWith("/") ? base : base + "/") + "task-protection/v1/state");
    this.busy = busy;
    this.idleGrace = idleGrace;
    this.log = log;
  }

  @Override
  public void start() {
    ticks.scheduleWithFixedDelay(this::reconcile, 0, 1, TimeUnit.SECONDS);
  }

  synchronized void reconcile() {
    Instant now = clock.instant();
    if (busy.getAsBoolean()) {
      lastBusy = now;
      if (!protectedNow || now.isAfter(protectedUntil.minus(RENEW_BEFORE))) {
        if (put(true)) {
          protectedNow = true;
          protectedUntil = now.plus(Duration.ofMinutes(EXPIRES_IN_MINUTES));
        }
      }
    } else if (protectedNow && now.isAfter(lastBusy.plus(idleGrace))) {
      if (put(false)) {
        protectedNow = false;
      }
    }
  }

  private boolean put(boolean enabled) {
    String body =
        enabled
            ? "{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":" + EXPIRES_IN_MINUTES + "}"
            : "{\"ProtectionEnabled\":false}";
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(stateUri)
                  .timeout(Duration.ofSeconds(3))
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return true;
      }
      log.warn(
          "task-protection-failed",
          Map.of("enabled", enabled, "status", response.statusCode(), "body", response.body()));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("task-protection-failed", Map.of("enabled", enabled, "error", String.valueOf(e)));
    }
    return false;
  }

  @Override
  public void holdUntilClose() {
    // No more ticks; one already running ends on its own (interrupting its call to the agent would
    // only log a failure).
    ticks.shutdown();
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    synchronized (this) {
      if (protectedNow && put(false)) {
        protectedNow = false;
      }
    }
  }
}
