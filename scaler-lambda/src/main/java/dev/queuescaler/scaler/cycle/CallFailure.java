package dev.queuescaler.scaler.cycle;

import java.util.Objects;

/**
 * A port's call that failed, with whether its cause may pass by itself within the minute: the
 * adapters throw it so that the cycle can tell a throttled read from a queue that does not exist
 * ({@link FailureKind}) without reading error messages; and whether the service refused the request
 * ({@link #rejected}), which proves a write was not applied.
 */
public class CallFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final boolean rejected;

  public CallFailure(String message, FailureKind kind) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.rejected = false;
  }

  public CallFailure(String message, Throwable cause, FailureKind kind) {
    this(message, cause, kind, false);
  }

  /**
   * @param rejected whether the service answered every attempt with an error response that refused
   *     the request ({@link #rejected})
   */
  public CallFailure(String message, Throwable cause, FailureKind kind, boolean rejected) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.rejected = rejected;
  }

  public FailureKind kind() {
    return kind;
  }

  /**
   * Whether the service answered every attempt with an error response that refused the request (an
   * HTTP 4xx, throttling included): a write it names was not applied, and cannot be later. False
   * whenever that is not known: an attempt that timed out or whose connection was reset (the
   * request may have reached the service, and may still be under way there), a 5xx (the service
   * failed while handling it), a failure raised before or outside the call.
   */
  public boolean rejected() {
    return rejected;
  }
}
