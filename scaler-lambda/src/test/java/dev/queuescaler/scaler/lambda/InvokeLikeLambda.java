package dev.queuescaler.scaler.lambda;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the Lambda runtime does, in a JVM of its own: construct the handler with the public
 * constructor (everything from the environment) and pass it the event on standard input. Used by
 * {@link ScalerLambdaTraceIT}, which sets the Lambda environment variables.
 */
public final class InvokeLikeLambda {

  private InvokeLikeLambda() {}

  public static void main(String[] args) throws Exception {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    new ScalerHandler().handleRequest(System.in, response, null);
    System.err.println("response " + response.toString(StandardCharsets.UTF_8));
  }
}
