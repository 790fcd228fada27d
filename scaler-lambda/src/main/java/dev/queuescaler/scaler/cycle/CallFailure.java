package dev.queuescaler.scaler.cycle;

import java.util.Objects;

/**
 * A port's call that failed, with whether its cause may pass by itself within the minute: the
 * adapters throw it so that the cycle can tell a throttled read from a queue that does not exist
 * ({@link FailureKind}) without reading error messages.
 */
public class CallFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public CallFailure(String message, FailureKind kind) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public CallFailure(String message, Throwable cause, FailureKind kind) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public FailureKind kind() {
    return kind;
  }
}
