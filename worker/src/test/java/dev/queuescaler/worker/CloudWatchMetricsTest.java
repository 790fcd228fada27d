package dev.queuescaler.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

/**
 * The CloudWatch registry publishes the worker's meters under the namespace with the queue as a
 * dimension. SDK 2.57 speaks CBOR to CloudWatch, so this captures requests with a hand-written
 * client (FACTS.md) rather than an HTTP fake.
 */
class CloudWatchMetricsTest {

  /** Keeps every PutMetricData request; answers each with success. */
  static final class CapturingCloudWatch implements CloudWatchAsyncClient {
    final List<PutMetricDataRequest> requests = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<PutMetricDataResponse> putMetricData(
        PutMetricDataRequest request) {
      requests.add(request);
      return CompletableFuture.completedFuture(PutMetricDataResponse.builder().build());
    }

    @Override
    public String serviceName() {
      return "monitoring";
    }

    @Override
    public void close() {}
  }

  @Test
  void publishesTheWorkersMetersUnderTheNamespaceWithTheQueueDimension() {
    CapturingCloudWatch cloudWatch = new CapturingCloudWatch();
    CloudWatchMeterRegistry registry = WorkerMetrics.cloudWatch("QueueWorker", cloudWatch);
    WorkerMetrics metrics = new WorkerMetrics(registry, "jobs");
    metrics.received(Duration.ofSeconds(3));
    metrics.started();
    metrics.finished(Duration.ofMillis(120), true);
    metrics.started();
    metrics.finished(Duration.ofMillis(80), false);

    registry.close(); // publishes the current step

    assertThat(cloudWatch.requests).isNotEmpty();
    assertThat(cloudWatch.requests)
        .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("QueueWorker"));
    List<MetricDatum> data = new ArrayList<>();
    cloudWatch.requests.forEach(r -> data.addAll(r.metricData()));
    assertThat(data)
        .extracting(MetricDatum::metricName)
        .contains(
            "worker.messages.processed.count",
            "worker.messages.failed.count",
            "worker.processing.time.avg",
            "worker.message.age.avg",
            "worker.messages.in.progress.value");
    assertThat(data)
        .allSatisfy(
            d ->
                assertThat(d.dimensions())
                    .anySatisfy(
                        dim -> {
                          assertThat(dim.name()).isEqualTo("queue");
                          assertThat(dim.value()).isEqualTo("jobs");
                        }));
  }
}
