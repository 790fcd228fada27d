package dev.queuescaler.scaler.lambda;

/**
 * The part of the Lambda context the handler reads: the time left, the request id and the
 * function's ARN (its alias), as Lambda passes them to an invocation.
 */
record TimeLeft(int millis) implements com.amazonaws.services.lambda.runtime.Context {
  @Override
  public int getRemainingTimeInMillis() {
    return millis;
  }

  @Override
  public String getAwsRequestId() {
    return "request-1";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/scaler";
  }

  @Override
  public String getLogStreamName() {
    return "stream";
  }

  @Override
  public String getFunctionName() {
    return "scaler";
  }

  @Override
  public String getFunctionVersion() {
    return "1";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:scaler:live";
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
