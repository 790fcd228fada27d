package dev.queuescaler.scaler.lambda;

/**
 * Thrown after every target has run when any of them failed, so that the function's Errors metric
 * and its alarm count failed cycles.
 */
public final class ScalingCycleFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ScalingCycleFailedException(String message) {
    super(message);
  }
}
