package dev.queuescaler.scaler.lambda;

import java.time.Duration;

/**
 * The scaler function's timeout, which the stack deploys it with: it comes from here so that the
 * handler's tests run with what is deployed.
 *
 * <p>The last sample is due at 45 s (15 s sampling, counted from the invocation's start). The
 * handler's deadline is the time left less the spans' 2 s flush, and a round takes samples only
 * while a save and an update at their worst (2 x 20 s), the 2 s margin and 1 s for the round's
 * ordered actions are left: 45 + 43 + 2 = 90 s is the least that takes the 45 s sample, and only
 * when the handler starts with the whole timeout left, which it never does. The 10 s above that
 * cover a late start and a large round's decisions. An invocation is billed for what it runs, not
 * for its timeout.
 */
public final class FunctionTimeout {

  public static final Duration DEPLOYED = Duration.ofSeconds(100);

  private FunctionTimeout() {}
}
