package dev.queuescaler.telemetry;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Trace ids X-Ray accepts: the first 8 hex digits are the epoch second the trace began, the other
 * 24 random (X-Ray rejects a trace whose id is more than 30 days old). The contrib module that has
 * one does not resolve here, and this is all it does.
 *
 * <p>The randomness is a {@link SecureRandom}, which reads the kernel's entropy on each call: a
 * SnapStart snapshot restored in many environments must not hand them all the same id sequence,
 * which a seeded generator in the snapshot would.
 */
public final class XRayIdGenerator implements IdGenerator {

  private final SecureRandom random = new SecureRandom();
  private final LongSupplier epochSeconds;

  public XRayIdGenerator() {
    this(() -> System.currentTimeMillis() / 1000);
  }

  XRayIdGenerator(LongSupplier epochSeconds) {
    this.epochSeconds = epochSeconds;
  }

  @Override
  public String generateSpanId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return SpanId.fromLong(id);
  }

  @Override
  public String generateTraceId() {
    long high = (epochSeconds.getAsLong() << 32) | (random.nextInt() & 0xFFFFFFFFL);
    long low;
    do {
      low = random.nextLong();
    } while (low == 0);
    return TraceId.fromLongs(high, low);
  }

  /** {@code 1-<8 hex>-<24 hex>}: an OpenTelemetry trace id as X-Ray and its console write it. */
  public static String xrayTraceId(String traceId) {
    if (!TraceId.isValid(traceId)) {
      throw new IllegalArgumentException("not a trace id: " + traceId);
    }
    return "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8);
  }
}
