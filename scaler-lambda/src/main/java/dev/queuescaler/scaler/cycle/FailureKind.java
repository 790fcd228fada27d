package dev.queuescaler.scaler.cycle;

import dev.queuescaler.scaler.policy.Reason;
import java.util.List;

/**
 * Whether a failed sample's cause may pass by itself within the minute: throttling, a timeout, a
 * 5xx or a service briefly unavailable do, so the target is sampled again at its next offset; an
 * invalid configuration, a denied permission or a queue, service, cluster or table that does not
 * exist do not, so it waits for the next invocation rather than fail the same way every 15 s.
 *
 * <p>Read from the failed line itself (its reason and its errors, which name AWS's error code:
 * {@code AwsFailure}), since that is what a sample hands back. A cause not known to last counts as
 * passing: sampling again costs a few reads, while waiting a minute can leave a burst unscaled.
 */
enum FailureKind {
  PASSING,
  LASTING;

  /**
   * Error codes and phrases of AWS's answers (SQS, ECS, DynamoDB, IAM) that a retry within the
   * minute cannot change: a permission, a resource that is gone or was never there, a request AWS
   * refuses as invalid.
   */
  private static final List<String> LASTING_CAUSES =
      List.of(
          "AccessDenied",
          "not authorized",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "NonExistentQueue",
          "QueueDoesNotExist",
          "InvalidAddress",
          "ClusterNotFoundException",
          "ServiceNotFoundException",
          "ServiceNotActiveException",
          "service MISSING",
          "not ACTIVE",
          "ResourceNotFoundException",
          "InvalidParameterException",
          "InvalidParameterValue",
          "ValidationException");

  /** What kind of failure {@code failed}'s line reports; only meaningful for a failed sample. */
  static FailureKind of(TargetOutcome failed) {
    Reason reason = failed.decision().reason();
    if (reason == Reason.CONFIG_INVALID || reason == Reason.OUT_OF_TIME) {
      // Neither is a call that failed: the values stay invalid, and the time left only shrinks.
      return LASTING;
    }
    // The line's first errors are the configuration's problems (a change not applied, say),
    // which say nothing about the call that failed.
    boolean lasting =
        failed.decision().errors().stream()
            .skip(failed.configErrors())
            .anyMatch(error -> LASTING_CAUSES.stream().anyMatch(error::contains));
    return lasting ? LASTING : PASSING;
  }
}
