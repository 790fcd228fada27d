package dev.queuescaler.scaler.report;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What ties a log line to its invocation and to its trace: the request id (the Lambda's {@code
 * awsRequestId}, which its REPORT line and the function's metrics carry; the CLI's own run id) and
 * the current trace id in X-Ray's format, from whichever tracer is active. One per container; the
 * handler names each invocation's request before the cycle runs.
 */
public final class LogCorrelation {

  private final Supplier<Optional<String>> traceId;
  private volatile Optional<String> requestId = Optional.empty();

  public LogCorrelation(Supplier<Optional<String>> traceId) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
  }

  /** No request and no trace: every line says so with nulls. */
  public static LogCorrelation none() {
    return new LogCorrelation(Optional::empty);
  }

  /** The request the lines from now on belong to. */
  public void beginRequest(String id) {
    requestId = Optional.of(Objects.requireNonNull(id, "id"));
  }

  public Optional<String> requestId() {
    return requestId;
  }

  public Optional<String> traceId() {
    return traceId.get();
  }
}
