package dev.queuescaler.generator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The generator Lambda: {@code dev.queuescaler.generator.GeneratorHandler::handleRequest}. Reads
 * the event (see {@link GeneratorEvent}), sends, returns {@code {"sent": N, "failed": F, "millis":
 * T}}. The queue defaults to the function's {@code QUEUE_URL}. Tracing as {@code TRACING} says,
 * flushed before each invocation returns.
 */
public final class GeneratorHandler implements RequestStreamHandler {

  /**
   * Kept back from the invocation's time: a call in flight may take the SQS client's call timeout
   * (20 s, {@link Generator}), then the spans' flush and the answer.
   */
  static final Duration RESERVE = Duration.ofSeconds(25);

  private final Generator generator;
  private final Optional<String> defaultQueueUrl;
  private final PrintStream log;

  public GeneratorHandler() {
    this(
        Generator.fromStandardSettings(GeneratorTracing.chosen(System.getenv()), Clock.systemUTC()),
        Optional.ofNullable(System.getenv("QUEUE_URL")));
  }

  GeneratorHandler(Generator generator, Optional<String> defaultQueueUrl) {
    this(generator, defaultQueueUrl, System.err);
  }

  /**
   * @param log where a sending with failed messages says how many and why (Lambda sends stderr to
   *     the function's log group): the returned summary's three fields are the contract, and a
   *     scheduled invocation's result is read by no one
   */
  GeneratorHandler(Generator generator, Optional<String> defaultQueueUrl, PrintStream log) {
    this.generator = generator;
    this.defaultQueueUrl = defaultQueueUrl;
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    GenerateRequest request = GeneratorEvent.parse(input.readAllBytes(), defaultQueueUrl);
    SendSummary summary;
    try {
      // Past the function's timeout Lambda ends the invocation without its summary, and an
      // asynchronous invocation is tried again: the messages already sent would go again.
      Optional<Duration> timeLeft =
          Optional.ofNullable(context).map(c -> Duration.ofMillis(c.getRemainingTimeInMillis()));
      timeLeft
          .filter(left -> left.compareTo(RESERVE) <= 0)
          .ifPresent(
              left ->
                  log.println(
                      "generator: the invocation began with "
                          + left.toMillis() / 1000.0
                          + " s left, no more than the "
                          + RESERVE.toSeconds()
                          + " s kept back for its last calls: nothing is sent; raise the"
                          + " function's timeout (the stack sets 5 minutes)"));
      Optional<Duration> sendFor = timeLeft.map(left -> left.minus(RESERVE));
      summary = generator.tracing().inInvocation(() -> generator.generate(request, sendFor));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      // Lambda freezes the environment when the invocation returns: batched spans leave now.
      generator.flushTraces();
    }
    summary.failureLine().ifPresent(line -> log.println("generator: " + line));
    output.write(summary.toJson().getBytes(StandardCharsets.UTF_8));
  }
}
