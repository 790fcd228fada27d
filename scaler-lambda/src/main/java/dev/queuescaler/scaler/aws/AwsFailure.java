package dev.queuescaler.scaler.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** A failed AWS call, with a message that names the operation, the resource and AWS's error. */
final class AwsFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  AwsFailure(String operation, String resource, SdkException cause) {
    super(operation + " on " + resource + " failed: " + detail(cause), cause);
  }

  AwsFailure(String operation, String resource, String problem) {
    super(operation + " on " + resource + ": " + problem);
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
