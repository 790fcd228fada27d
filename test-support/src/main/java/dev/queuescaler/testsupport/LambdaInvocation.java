package dev.queuescaler.testsupport;

/**
 * The part of the Lambda context a handler reads, as Lambda passes it to an invocation: the time
 * left, the request id and the function's name and ARN (invoked through the alias {@code live}).
 */
public record LambdaInvocation(String functionName, int remainingMillis)
    implements com.amazonaws.services.lambda.runtime.Context {
  @Override
  public int getRemainingTimeInMillis() {
    return remainingMillis;
  }

  @Override
  public String getAwsRequestId() {
    return "request-1";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "stream";
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "1";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ":live";
  }

  @Override
  public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 1024;
  }

  @Override
  public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
    return null;
  }
}
