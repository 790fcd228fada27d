package dev.queuescaler.generator;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The generator's composition: one SQS client (url-connection, explicit timeouts, standard retries,
 * the tracing's span per call), the tracing and the sender. Built once per container.
 */
public final class Generator implements AutoCloseable {

  /** SendMessageBatch calls in flight at once. */
  public static final int CALLS_IN_FLIGHT = 8;

  private final SqsClient sqs;
  private final GeneratorTracing tracing;
  private final BatchSender sender;
  private final Clock clock;

  Generator(SqsClient sqs, GeneratorTracing tracing, Clock clock) {
    this.sqs = sqs;
    this.tracing = tracing;
    this.sender = new BatchSender(sqs, tracing, CALLS_IN_FLIGHT);
    this.clock = clock;
  }

  /** Region, credentials and endpoint from the SDK's standard settings; closes the tracing. */
  static Generator fromStandardSettings(GeneratorTracing tracing, Clock clock) {
    SqsClient sqs =
        SqsClient.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(java.time.Duration.ofSeconds(2))
                    .socketTimeout(java.time.Duration.ofSeconds(5))
                    .build())
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(java.time.Duration.ofSeconds(5))
                        .apiCallTimeout(java.time.Duration.ofSeconds(20))
                        .retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .executionInterceptors(tracing.sdkInterceptors()))
            .build();
    return new Generator(sqs, tracing, clock);
  }

  /** A generator on a client built elsewhere (the local run), tracing to {@code xrayDaemon}. */
  public static Generator create(SqsClient sqs, String xrayDaemonAddress, Clock clock) {
    return new Generator(sqs, GeneratorTracing.xray(xrayDaemonAddress), clock);
  }

  /**
   * A generator on a client built elsewhere (the local run), tracing as {@code env}'s {@code
   * TRACING} says (X-Ray to {@code AWS_XRAY_DAEMON_ADDRESS}, OpenTelemetry to {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT}). The client has no span per call: it was built without them.
   */
  public static Generator create(SqsClient sqs, Map<String, String> env, Clock clock) {
    return new Generator(sqs, GeneratorTracing.chosen(env), clock);
  }

  GeneratorTracing tracing() {
    return tracing;
  }

  /**
   * Sends as the CLI does: in a trace of its own ({@value GeneratorTracing#CLI_SEGMENT}), whose
   * batches' spans the messages carry in {@code AWSTraceHeader}.
   */
  public SendSummary generateTraced(GenerateRequest request) {
    try {
      return tracing.inSegment(() -> generate(request));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends the spans still batched (the OpenTelemetry pipeline sends every few seconds), as a Lambda
   * invocation does before it returns: a run that counts its traces calls this first.
   *
   * @return whether everything left within the pipeline's flush timeout
   */
  public boolean flushTraces() {
    return tracing.flush();
  }

  /** Sends what the request asks for: its count, or its profile's count for this minute. */
  public SendSummary generate(GenerateRequest request) {
    return generate(request, Optional.empty());
  }

  /**
   * Sends as {@link #generate(GenerateRequest)} does, starting no batch once {@code sendFor} has
   * passed: the rest are counted as failed, with that reason.
   */
  SendSummary generate(GenerateRequest request, Optional<java.time.Duration> sendFor) {
    int count = request.profile().map(p -> p.countAt(clock.instant())).orElse(request.count());
    long seed = request.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
    MessageBodies bodies =
        new MessageBodies(seed, request.bodyBytes(), request.workMillis(), request.failRate());
    return sender.send(request.queueUrl(), count, bodies, sendFor);
  }

  @Override
  public void close() {
    sender.close();
    sqs.close();
    tracing.close();
  }
}
