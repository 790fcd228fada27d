package dev.queuescaler.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A span exporter that remembers whether its exports went through. The batch processor's {@code
 * forceFlush} succeeds whatever the export's result (a collector answering HTTP 500 included), so
 * {@link OtelPipeline#flush} asks this whether the spans really left.
 */
final class OutcomeRecordingExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final AtomicBoolean failedSinceLastAsked = new AtomicBoolean();
  private final AtomicInteger unfinished = new AtomicInteger();

  OutcomeRecordingExporter(SpanExporter delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    unfinished.incrementAndGet();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException | Error e) {
      // Nothing left, and nothing is under way: the processor that called catches and logs it.
      failedSinceLastAsked.set(true);
      unfinished.decrementAndGet();
      throw e;
    }
    // Registered before the processor's own wait, so it has run when that wait returns.
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) {
            failedSinceLastAsked.set(true);
          }
          unfinished.decrementAndGet();
        });
    return result;
  }

  /**
   * Whether every export since the last call succeeded and none is still under way (one that ran
   * past its timeout has not reached the collector yet, and may never); resets the record.
   */
  boolean allSentSinceLastAsked() {
    boolean failed = failedSinceLastAsked.getAndSet(false);
    return !failed && unfinished.get() == 0;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
