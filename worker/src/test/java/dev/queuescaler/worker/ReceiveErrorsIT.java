package dev.queuescaler.worker;

import static dev.queuescaler.worker.LocalQueue.eventually;
import static dev.queuescaler.worker.LocalQueue.work;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.queuescaler.message.SqsErrors;
import dev.queuescaler.testsupport.FaultInjectingProxy;
import dev.queuescaler.testsupport.FaultInjectingProxy.Reply;
import dev.queuescaler.testsupport.XRayDaemonListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a failed ReceiveMessage means, for every error SQS documents for it: each is answered by a
 * proxy exactly as SQS's JSON protocol sends it (status, {@code __type}, {@code
 * x-amzn-query-error}), so that the real SDK parses it, retries it as it would, and the worker
 * classifies what it finally throws. Transient errors (the in-flight limit, SQS and KMS throttling,
 * 5xx) are retried with backoff; errors only an operator can mend (a missing queue, access, a KMS
 * key's state) are fatal.
 */
class ReceiveErrorsIT {

  private static LocalQueue queue;
  private static XRayDaemonListener xray;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private FaultInjectingProxy proxy;
  private SqsClient proxied;
  private Worker worker;

  @BeforeAll
  static void start() {
    queue = new LocalQueue();
    xray = new XRayDaemonListener();
  }

  @AfterAll
  static void stop() {
    xray.close();
    queue.close();
  }

  @AfterEach
  void stopWorker() {
    if (worker != null) {
      worker.stop();
    }
    proxied.close();
    proxy.close();
  }

  /** SQS's documented ReceiveMessage errors (and the common ones) that no retry can mend. */
  static Stream<Arguments> fatal() {
    return Stream.of(
        sqs(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"),
        sqs(404, "InvalidAddress", "InvalidAddress"),
        sqs(403, "InvalidSecurity", "InvalidSecurity"),
        sqs(400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"),
        sqs(400, "KmsAccessDenied", "KMS.AccessDeniedException"),
        sqs(400, "KmsDisabled", "KMS.DisabledException"),
        sqs(400, "KmsInvalidKeyUsage", "KMS.InvalidKeyUsageException"),
        sqs(400, "KmsInvalidState", "KMS.InvalidStateException"),
        sqs(400, "KmsNotFound", "KMS.NotFoundException"),
        sqs(403, "KmsOptInRequired", "KMS.OptInRequired"),
        Arguments.of(
            "AccessDenied (IAM)",
            new Reply(
                403,
                "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\","
                    + "\"message\":\"not authorized to perform sqs:receivemessage\"}",
                Map.of("x-amzn-query-error", "AccessDenied;Sender"))));
  }

  /** The ones that pass: the in-flight limit, SQS's and KMS's throttling, and SQS's own faults. */
  static Stream<Arguments> retryable() {
    return Stream.of(
        sqs(403, "OverLimit", "OverLimit"),
        sqs(403, "RequestThrottled", "RequestThrottled"),
        sqs(400, "KmsThrottled", "KMS.ThrottlingException"),
        Arguments.of(
            "ThrottlingException", Reply.error(400, "ThrottlingException", "Rate exceeded")),
        Arguments.of("InternalFailure (500)", Reply.error(500, "InternalFailure", "try again")),
        Arguments.of("ServiceUnavailable (503)", Reply.error(503, "ServiceUnavailable", "busy")));
  }

  private static Arguments sqs(int status, String shape, String queryCode) {
    return Arguments.of(
        shape + " (" + queryCode + ")", Reply.sqsError(status, shape, queryCode, shape + " here"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fatal")
  void anErrorOnlyAnOperatorCanMendIsNotRetried(String name, Reply error) {
    SdkException thrown = receiveAnswering(error);

    assertThat(SqsErrors.isRetryable(thrown)).as(String.valueOf(thrown)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("retryable")
  void aTransientErrorIsRetried(String name, Reply error) {
    SdkException thrown = receiveAnswering(error);

    assertThat(SqsErrors.isRetryable(thrown)).as(String.valueOf(thrown)).isTrue();
  }

  @Test
  void theInFlightLimitBacksOffAndTheWorkerRecovers() throws Exception {
    failReceivesUntilTheWorkerBacksOff(Reply.sqsError(403, "OverLimit", "OverLimit", "limit"));
  }

  @Test
  void kmsThrottlingBacksOffAndTheWorkerRecovers() throws Exception {
    failReceivesUntilTheWorkerBacksOff(
        Reply.sqsError(400, "KmsThrottled", "KMS.ThrottlingException", "Rate exceeded"));
  }

  @Test
  void aKmsKeyTheTaskMayNotUseStopsTheWorkerNamingTheCode() throws Exception {
    String[] urls = queue.createWithDlq("kms-denied", 30, 3);
    proxy = new FaultInjectingProxy(queue.server.endpoint());
    proxied = LocalQueue.client(proxy.endpoint());
    proxy.fail(
        "ReceiveMessage",
        request ->
            Optional.of(
                Reply.sqsError(
                    400, "KmsAccessDenied", "KMS.AccessDeniedException", "no kms:Decrypt")));

    worker =
        LocalQueue.startWorker(
            proxied,
            urls[0],
            new SimulatedWork(),
            Map.of("WORKER_CONCURRENCY", "1"),
            new SimpleMeterRegistry(),
            xray.address(),
            logs);

    String reason = worker.fatal().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reason).contains("KMS.AccessDeniedException");
  }

  /**
   * The worker meets {@code error} on every receive until it has logged a backoff, then the queue
   * answers again: its message is processed and the worker never reported a fatal error.
   */
  private void failReceivesUntilTheWorkerBacksOff(Reply error) throws Exception {
    String[] urls = queue.createWithDlq("transient-" + System.nanoTime(), 30, 3);
    proxy = new FaultInjectingProxy(queue.server.endpoint());
    proxied = LocalQueue.client(proxy.endpoint());
    proxy.fail("ReceiveMessage", request -> backedOff() ? Optional.empty() : Optional.of(error));
    queue.send(urls[0], work(0, false));

    worker =
        LocalQueue.startWorker(
            proxied,
            urls[0],
            new SimulatedWork(),
            Map.of("WORKER_CONCURRENCY", "1"),
            new SimpleMeterRegistry(),
            xray.address(),
            logs);

    eventually(
        () -> worker.processed() == 1 || worker.fatal().toCompletableFuture().isDone(),
        Duration.ofSeconds(30));
    assertThat(worker.fatal().toCompletableFuture().isDone())
        .as("fatal: %s", logs.toString(StandardCharsets.UTF_8))
        .isFalse();
    assertThat(worker.processed()).isEqualTo(1);
    assertThat(backedOff()).isTrue();
  }

  private boolean backedOff() {
    return logs.toString(StandardCharsets.UTF_8).contains("\"event\":\"receive-failed\"");
  }

  /**
   * One ReceiveMessage through the proxy answering {@code error}, by a client configured as the
   * worker's own (standard retries): what the worker's receive loop would catch.
   */
  private SdkException receiveAnswering(Reply error) {
    proxy = new FaultInjectingProxy(queue.server.endpoint());
    proxy.fail("ReceiveMessage", request -> Optional.of(error));
    proxied =
        SqsClient.builder()
            .endpointOverride(proxy.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
            .build();
    return catchThrowableOfType(
        SdkException.class,
        () ->
            proxied.receiveMessage(
                r -> r.queueUrl(proxy.endpoint() + "/000000000000/any").waitTimeSeconds(0)));
  }
}
