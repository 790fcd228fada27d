package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.CallFailure;
import dev.queuescaler.scaler.cycle.FailureKind;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call, with a message that names the operation, the resource and AWS's error, and
 * whether AWS's answer may change within the minute.
 */
final class AwsFailure extends CallFailure {

  private static final long serialVersionUID = 1L;

  /**
   * AWS error codes (SQS, ECS, DynamoDB, STS/IAM) a retry within the minute cannot change: a
   * permission, a queue, service, cluster or table that is gone or was never there, a request AWS
   * refuses as invalid. Everything else (throttling, 5xx, timeouts, a connection refused) may pass.
   */
  private static final Set<String> LASTING_CODES =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          // Credentials that expired or do not sign: DynamoDB and ECS answer them with HTTP 400.
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidSignatureException",
          "IncompleteSignature",
          "IncompleteSignatureException",
          "MissingAuthenticationToken",
          "MissingAuthenticationTokenException",
          "AWS.SimpleQueueService.NonExistentQueue",
          "QueueDoesNotExist",
          "NonExistentQueue",
          "InvalidAddress",
          "ClusterNotFoundException",
          "ServiceNotFoundException",
          "ServiceNotActiveException",
          "ResourceNotFoundException",
          "InvalidParameterException",
          "InvalidParameterValue",
          "ValidationException");

  /**
   * How the SDK reports an earlier attempt of a call it retried that AWS answered with an error
   * response: a suppressed exception whose message is "Request attempt N failure: " and that
   * answer's message, which ends with AWS's diagnostics, "(Service: Ecs, Status Code: 400, Request
   * ID: ...)", the attempt count after them when the SDK adds it. Anchored at both ends, so that a
   * status quoted inside another message (a timeout's, say) is not read as the attempt's answer.
   */
  private static final Pattern REFUSED_ATTEMPT =
      Pattern.compile(
          "Request attempt (\\d+) failure: .*\\(Service: [^,()]*, Status Code: 4\\d\\d, Request"
              + " ID: [^,()]*(?:, Extended Request ID: [^,()]*)?\\)(?: \\(SDK Attempt Count:"
              + " \\d+\\))?",
          Pattern.DOTALL);

  AwsFailure(String operation, String resource, SdkException cause) {
    super(
        operation + " on " + resource + " failed: " + detail(cause),
        cause,
        kindOf(cause),
        rejectedBy(cause));
  }

  /**
   * A problem with an answer AWS gave that may pass (a response missing a field, say); one that
   * cannot (an item only an operator can fix) says so with {@link FailureKind#LASTING}.
   */
  AwsFailure(String operation, String resource, String problem) {
    this(operation, resource, problem, FailureKind.PASSING);
  }

  AwsFailure(String operation, String resource, String problem, FailureKind kind) {
    super(operation + " on " + resource + ": " + problem, kind);
  }

  /** Whether AWS's error may pass: only the codes above, and a plain 403, are taken to last. */
  static FailureKind kindOf(SdkException e) {
    if (e instanceof AwsServiceException service && !service.isThrottlingException()) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      if ((code != null && LASTING_CODES.contains(code)) || service.statusCode() == 403) {
        return FailureKind.LASTING;
      }
    }
    return FailureKind.PASSING;
  }

  /**
   * Whether AWS refused every attempt of the call with an error response (HTTP 4xx, throttling
   * included): then what it asked was not applied. The last attempt's answer is the exception; the
   * SDK keeps only the messages of the earlier ones (suppressed), so there must be one for each
   * earlier attempt the exception counts, numbered in order, each in the SDK's form of an error
   * response with a 4xx status ({@link #REFUSED_ATTEMPT}), and nothing else. Any attempt that timed
   * out, whose connection was reset or that AWS answered with a 5xx, an attempt counted but not
   * described, or a message in any other form, leaves the outcome unknown.
   */
  static boolean rejectedBy(SdkException e) {
    if (!(e instanceof AwsServiceException service)
        || service.statusCode() < 400
        || service.statusCode() >= 500) {
      return false;
    }
    Throwable[] earlier = e.getSuppressed();
    Integer attempts = e.numAttempts();
    if (attempts != null && earlier.length != attempts - 1) {
      return false;
    }
    for (int i = 0; i < earlier.length; i++) {
      String message = earlier[i].getMessage();
      Matcher refused = REFUSED_ATTEMPT.matcher(message == null ? "" : message);
      if (!refused.matches() || !refused.group(1).equals(String.valueOf(i + 1))) {
        return false;
      }
    }
    return true;
  }

  private static String detail(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      return (code == null ? "HTTP " + service.statusCode() : code)
          + (message == null ? "" : ": " + message);
    }
    return e.getMessage();
  }
}
