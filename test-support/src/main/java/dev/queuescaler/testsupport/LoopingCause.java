package dev.queuescaler.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An exception whose causes form a loop ({@code a.initCause(b); b.initCause(a)}, which the JDK
 * allows), for tests of tracers that describe a failure's cause chain. The X-Ray SDK follows {@code
 * getCause()} with no check for a loop and went round until the heap was gone.
 *
 * <p>The loop closes through this exception, which fails the test once it has been asked for its
 * cause {@value #FOLLOWED_AT_MOST} times: a tracer that goes round the loop ends the test with an
 * assertion in milliseconds, not the test JVM with an OutOfMemoryError.
 */
public final class LoopingCause extends IllegalStateException {

  /** Far more than a tracer needs to walk a two-exception chain, far less than a heap holds. */
  public static final int FOLLOWED_AT_MOST = 1_000;

  private final transient AtomicInteger asked = new AtomicInteger();

  private LoopingCause(String message) {
    super(message);
  }

  /** {@code message} caused by {@code wrapped}, caused by {@code message}. */
  public static LoopingCause of(String message) {
    LoopingCause failed = new LoopingCause(message);
    RuntimeException wrapped = new RuntimeException("wrapped");
    failed.initCause(wrapped);
    wrapped.initCause(failed);
    return failed;
  }

  @Override
  public synchronized Throwable getCause() {
    if (asked.incrementAndGet() > FOLLOWED_AT_MOST) {
      throw new AssertionError(
          "the cause chain was followed " + FOLLOWED_AT_MOST + " times: round its loop");
    }
    return super.getCause();
  }
}
