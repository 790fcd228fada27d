package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.cycle.CallFailure;
import dev.queuescaler.scaler.cycle.FailureKind;
import java.util.Arrays;
import java.util.Set;
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
   * How the SDK reports each earlier attempt of a call it retried: a suppressed exception whose
   * message is the attempt's ("Request attempt 1 failure: " and the exception's message).
   */
  private static final String EARLIER_ATTEMPT = "Request attempt ";

  /**
   * What an error response of AWS's says in its message: "(Service: Ecs, Status Code: 400, ...".
   */
  private static final Pattern REFUSED = Pattern.compile("Status Code: 4\\d\\d\\b");

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
   * SDK keeps only the messages of the earlier ones (suppressed), so each of those must read as an
   * error response with a 4xx status too. Any attempt that timed out, whose connection was reset or
   * that AWS answered with a 5xx, or a message that does not say, leaves the outcome unknown.
   */
  static boolean rejectedBy(SdkException e) {
    if (!(e instanceof AwsServiceException service)
        || service.statusCode() < 400
        || service.statusCode() >= 500) {
      return false;
    }
    return Arrays.stream(e.getSuppressed())
        .map(Throwable::getMessage)
        .filter(message -> message != null && message.startsWith(EARLIER_ATTEMPT))
        .allMatch(message -> REFUSED.matcher(message).find());
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
