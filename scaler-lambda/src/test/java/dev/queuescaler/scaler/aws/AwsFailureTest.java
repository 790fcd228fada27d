package dev.queuescaler.scaler.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.cycle.FailureKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which of AWS's answers may change within the minute, by error code and status. */
class AwsFailureTest {

  @ParameterizedTest
  @CsvSource({
    "AccessDeniedException, 400, LASTING",
    "AccessDenied, 403, LASTING",
    "UnrecognizedClientException, 400, LASTING",
    "AWS.SimpleQueueService.NonExistentQueue, 400, LASTING",
    "QueueDoesNotExist, 400, LASTING",
    "ClusterNotFoundException, 400, LASTING",
    "ServiceNotFoundException, 400, LASTING",
    "ResourceNotFoundException, 400, LASTING",
    "InvalidParameterException, 400, LASTING",
    "SignatureDoesNotMatch, 403, LASTING",
    "ThrottlingException, 400, PASSING",
    "RequestThrottled, 403, PASSING",
    "ProvisionedThroughputExceededException, 400, PASSING",
    "ServiceUnavailableException, 503, PASSING",
    "InternalFailure, 500, PASSING",
    "ServerException, 500, PASSING"
  })
  void anAnswerOfAwsLastsOnlyWhenARetryCannotChangeIt(String code, int status, FailureKind kind) {
    AwsServiceException answer =
        AwsServiceException.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .statusCode(status)
            .build();

    AwsFailure failure = new AwsFailure("GetQueueAttributes", "q", answer);

    assertThat(failure.kind()).isEqualTo(kind);
    assertThat(failure).hasMessage("GetQueueAttributes on q failed: " + code + ": m");
  }

  @ParameterizedTest
  @CsvSource({"DynamoDB, PutItem", "ECS, DescribeServices"})
  void anExpiredSessionTokenLastsTheMinute(String service, String operation) {
    // DynamoDB and ECS (AWS JSON protocol) answer an expired session token with HTTP 400, not 403:
    // no retry within the minute renews it (the CLI's session, an assumed role's token).
    AwsServiceException answer =
        AwsServiceException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("ExpiredTokenException")
                    .errorMessage("The security token included in the request is expired")
                    .serviceName(service)
                    .build())
            .statusCode(400)
            .build();

    assertThat(new AwsFailure(operation, "orders", answer).kind()).isEqualTo(FailureKind.LASTING);
  }

  @ParameterizedTest
  @CsvSource({"timeout", "connection"})
  void aCallWithNoAnswerMayPass(String what) {
    var cause =
        what.equals("timeout")
            ? ApiCallTimeoutException.create(20_000)
            : SdkClientException.create("Unable to execute HTTP request: Connection refused");

    assertThat(new AwsFailure("DescribeServices", "workers/orders", cause).kind())
        .isEqualTo(FailureKind.PASSING);
  }

  private static AwsServiceException answer(String code, int status, String... earlierAttempts) {
    AwsServiceException answer =
        AwsServiceException.builder()
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(code)
                    .errorMessage("m")
                    .serviceName("Ecs")
                    .build())
            .statusCode(status)
            .numAttempts(earlierAttempts.length + 1)
            .build();
    for (int i = 0; i < earlierAttempts.length; i++) {
      // What the SDK adds to the last attempt's exception for each attempt before it.
      answer.addSuppressed(
          SdkClientException.create(
              "Request attempt " + (i + 1) + " failure: " + earlierAttempts[i]));
    }
    return answer;
  }

  @Test
  void anUpdateAwsRefusedOnEveryAttemptIsRejected() {
    AwsServiceException throttled =
        answer(
            "ThrottlingException",
            400,
            "Rate exceeded (Service: Ecs, Status Code: 400, Request ID: r1)",
            "Rate exceeded (Service: Ecs, Status Code: 400, Request ID: r2)");

    assertThat(new AwsFailure("UpdateService", "workers/orders", throttled).rejected()).isTrue();
    assertThat(
            new AwsFailure("UpdateService", "workers/orders", answer("AccessDeniedException", 400))
                .rejected())
        .isTrue();
  }

  @Test
  void anUpdateWithAnAttemptThatGotNoAnswerOrAServerErrorIsNotRejected() {
    AwsServiceException afterATimeout =
        answer(
            "ThrottlingException",
            400,
            "Unable to execute HTTP request: Read timed out",
            "Rate exceeded (Service: Ecs, Status Code: 400, Request ID: r2)");
    AwsServiceException afterAServerError =
        answer(
            "ThrottlingException",
            400,
            "Service Unavailable (Service: Ecs, Status Code: 500, Request ID: r1)");

    assertThat(new AwsFailure("UpdateService", "o", afterATimeout).rejected()).isFalse();
    assertThat(new AwsFailure("UpdateService", "o", afterAServerError).rejected()).isFalse();
    assertThat(new AwsFailure("UpdateService", "o", answer("ServerException", 500)).rejected())
        .isFalse();
    assertThat(
            new AwsFailure("UpdateService", "o", ApiCallTimeoutException.create(15_000)).rejected())
        .isFalse();
    assertThat(
            new AwsFailure(
                    "UpdateService",
                    "o",
                    SdkClientException.create("Unable to execute HTTP request: Connection reset"))
                .rejected())
        .isFalse();
  }

  @Test
  void attemptsTheSdkCountedButDidNotDescribeAreNotProvenRefused() {
    // Three attempts, and nothing says what the first two got.
    AwsServiceException throttled =
        answer("ThrottlingException", 400).toBuilder().numAttempts(3).build();

    assertThat(AwsFailure.rejectedBy(throttled)).isFalse();
  }

  @Test
  void anEarlierAttemptNotInTheSdksFormIsNotProvenRefused() {
    AwsServiceException otherForm =
        answer("ThrottlingException", 400).toBuilder().numAttempts(2).build();
    otherForm.addSuppressed(SdkClientException.create("Attempt 1 failed: Read timed out"));

    assertThat(AwsFailure.rejectedBy(otherForm)).isFalse();
  }

  @Test
  void aStatusInsideAnEarlierAttemptsMessageIsNotItsAnswer() {
    // The earlier attempt timed out; its message quotes a 400 from elsewhere.
    AwsServiceException quoted =
        answer(
            "ThrottlingException",
            400,
            "Unable to execute HTTP request: Read timed out (after Status Code: 400, elsewhere)");
    AwsServiceException quotedWhole =
        answer(
            "ThrottlingException",
            400,
            "Read timed out: (Service: Ecs, Status Code: 400, Request ID: r1) was the last answer");

    assertThat(AwsFailure.rejectedBy(quoted)).isFalse();
    assertThat(AwsFailure.rejectedBy(quotedWhole)).isFalse();
  }
}
