package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.EcsNames;
import dev.queuescaler.scaler.cycle.FailureKind;
import dev.queuescaler.scaler.cycle.ServiceReading;
import dev.queuescaler.scaler.cycle.ServiceRef;
import dev.queuescaler.scaler.cycle.ServiceScaler;
import dev.queuescaler.scaler.policy.ServiceSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;

/** Describes and sets an ECS service's desired count. */
public final class EcsServiceScaler implements ServiceScaler {

  private final EcsClient ecs;
  private final Pacer describes;
  private final Pacer updates;
  private final Duration batchBudget;

  public EcsServiceScaler(EcsClient ecs) {
    this(ecs, Pacer.NONE, Pacer.NONE);
  }

  /**
   * @param describes paces DescribeServices, {@code updates} UpdateService (separate buckets)
   */
  public EcsServiceScaler(EcsClient ecs, Pacer describes, Pacer updates) {
    this(ecs, describes, updates, AwsClients.CALL_TIMEOUT);
  }

  /**
   * @param batchBudget the time a batch's call and its throttled retries share (the call timeout)
   */
  EcsServiceScaler(EcsClient ecs, Pacer describes, Pacer updates, Duration batchBudget) {
    this.ecs = ecs;
    this.describes = describes;
    this.updates = updates;
    this.batchBudget = batchBudget;
  }

  /** DescribeServices takes at most this many services of one cluster per call. */
  static final int SERVICES_PER_CALL = 10;

  /**
   * Times a batch still throttled after the SDK's own attempts is tried again, so that a throttling
   * storm does not fail all ten of its services at once.
   */
  static final int THROTTLED_BATCH_RETRIES = 2;

  /** A retry is not started with less time than this left in the batch's budget. */
  static final Duration MIN_ATTEMPT = Duration.ofMillis(250);

  /** The first retry's pause is at most this; it doubles (full jitter: uniform up to the cap). */
  static final Duration THROTTLED_BATCH_BACKOFF = Duration.ofMillis(500);

  @Override
  public ServiceSnapshot describe(ServiceRef ref) {
    return describeAll(List.of(ref)).get(ref).get();
  }

  /**
   * One DescribeServices call per cluster and ten services; a call still throttled after the SDK's
   * retries is tried again ({@link #THROTTLED_BATCH_RETRIES}), a call that fails for good fails its
   * entries, and an entry ECS reports as a failure (MISSING, a deleted service) fails that entry
   * alone.
   */
  @Override
  public Map<ServiceRef, ServiceReading> describeAll(Collection<ServiceRef> refs) {
    Map<String, List<ServiceRef>> byCluster = new LinkedHashMap<>();
    for (ServiceRef ref : new LinkedHashSet<>(refs)) {
      byCluster.computeIfAbsent(ref.cluster(), cluster -> new ArrayList<>()).add(ref);
    }
    Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
    byCluster.forEach(
        (cluster, inCluster) -> {
          for (int from = 0; from < inCluster.size(); from += SERVICES_PER_CALL) {
            List<ServiceRef> batch =
                inCluster.subList(from, Math.min(inCluster.size(), from + SERVICES_PER_CALL));
            readings.putAll(describeBatch(cluster, batch));
          }
        });
    return readings;
  }

  private Map<ServiceRef, ServiceReading> describeBatch(String cluster, List<ServiceRef> batch) {
    Map<ServiceRef, ServiceReading> readings = new LinkedHashMap<>();
    DescribeServicesResponse response;
    try {
      response = describeRetryingThrottled(cluster, batch);
    } catch (SdkException e) {
      for (ServiceRef ref : batch) {
        readings.put(
            ref, ServiceReading.failed(new AwsFailure("DescribeServices", ref.toString(), e)));
      }
      return readings;
    }
    for (ServiceRef ref : batch) {
      readings.put(ref, readingOf(ref, response));
    }
    return readings;
  }

  /**
   * One batch's call; when it is still throttled after the SDK's attempts, it is tried again after
   * a pause with full jitter and a paced slot. Other errors are not retried here.
   */
  private DescribeServicesResponse describeRetryingThrottled(
      String cluster, List<ServiceRef> batch) {
    List<String> names = batch.stream().map(ServiceRef::service).toList();
    long started = System.nanoTime();
    describes.acquire();
    for (int retry = 0; ; retry++) {
      // The retries share one call's time: the whole batch, its retries and their paced waits,
      // takes at most a paced wait plus the call timeout, what the cycle budgets for one call.
      Duration left = batchBudget.minusNanos(System.nanoTime() - started);
      try {
        return ecs.describeServices(
            request ->
                request
                    .cluster(cluster)
                    .services(names)
                    .overrideConfiguration(o -> o.apiCallTimeout(left)));
      } catch (AwsServiceException e) {
        if (!e.isThrottlingException() || retry == THROTTLED_BATCH_RETRIES) {
          throw e;
        }
        Duration pause = fullJitter(retry);
        if (batchBudget.minusNanos(System.nanoTime() - started).compareTo(pause.plus(MIN_ATTEMPT))
                < 0
            || !pause(pause)) {
          throw e;
        }
        describes.acquire();
        if (batchBudget.minusNanos(System.nanoTime() - started).compareTo(MIN_ATTEMPT) < 0) {
          throw e;
        }
      }
    }
  }

  private static Duration fullJitter(int retry) {
    long capMillis = THROTTLED_BATCH_BACKOFF.toMillis() << retry;
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMillis + 1));
  }

  /** Sleeps; false when interrupted (the interrupt is kept). */
  private static boolean pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ServiceReading readingOf(ServiceRef ref, DescribeServicesResponse response) {
    // A ref names the service by name or by ARN, as the target's parameters give it, and an ARN
    // may be in the older format (service/NAME, no cluster) whatever format ECS answers with: the
    // last path segment is the name in each, and a cluster has one live service per name.
    String name = EcsNames.nameOf(ref.service());
    List<Service> matching =
        response.services().stream()
            .filter(s -> ref.service().equals(s.serviceArn()) || name.equals(s.serviceName()))
            .toList();
    // A service deleted and recreated under its name (and so its ARN) may be answered twice while
    // ECS still shows the deleted one as INACTIVE: the live one is the one to scale, whatever the
    // order; with none ACTIVE, the first tells why.
    Optional<Service> found =
        matching.stream()
            .filter(s -> "ACTIVE".equals(s.status()))
            .findFirst()
            .or(() -> matching.stream().findFirst());
    if (found.isEmpty()) {
      String reason =
          response.failures().stream()
              .filter(
                  f ->
                      f.arn() != null
                          && (f.arn().equals(ref.service())
                              || f.arn().endsWith("/" + ref.service())))
              .map(f -> "service " + f.reason())
              .findFirst()
              .orElse("no service in the response");
      // ECS names a service it does not know MISSING: a wrong name or a deleted service, which
      // stays so; a response without the service at all may pass.
      return ServiceReading.failed(
          new AwsFailure(
              "DescribeServices",
              ref.toString(),
              reason,
              reason.equals("service MISSING") ? FailureKind.LASTING : FailureKind.PASSING));
    }
    Service service = found.get();
    if (!"ACTIVE".equals(service.status())) {
      return ServiceReading.failed(
          new AwsFailure(
              "DescribeServices",
              ref.toString(),
              "service is " + service.status() + ", not ACTIVE",
              FailureKind.LASTING));
    }
    return ServiceReading.of(
        new ServiceSnapshot(
            nonNull(service.desiredCount()),
            nonNull(service.runningCount()),
            nonNull(service.pendingCount())));
  }

  @Override
  public void setDesiredCount(ServiceRef ref, int desiredCount) {
    updates.acquire();
    try {
      // desiredCount only: nothing else of the service (task definition, network) is touched.
      ecs.updateService(
          request ->
              request.cluster(ref.cluster()).service(ref.service()).desiredCount(desiredCount));
    } catch (SdkException e) {
      throw new AwsFailure("UpdateService", ref.toString(), e);
    }
  }

  private static int nonNull(Integer count) {
    return count == null ? 0 : count;
  }
}
