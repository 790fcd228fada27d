package dev.queuescaler.generator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The generator Lambda: {@code dev.queuescaler.generator.GeneratorHandler::handleRequest}. Reads
 * the event (see {@link GeneratorEvent}), sends, returns {@code {"sent": N, "failed": F, "millis":
 * T}}. The queue defaults to the function's {@code QUEUE_URL}.
 */
public final class GeneratorHandler implements RequestStreamHandler {

  private final Generator generator;
  private final Optional<String> defaultQueueUrl;

  public GeneratorHandler() {
    this(
        Generator.fromStandardSettings(
            System.getenv().getOrDefault("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"),
            Clock.systemUTC()),
        Optional.ofNullable(System.getenv("QUEUE_URL")));
  }

  GeneratorHandler(Generator generator, Optional<String> defaultQueueUrl) {
    this.generator = generator;
    this.defaultQueueUrl = defaultQueueUrl;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    GenerateRequest request = GeneratorEvent.parse(input.readAllBytes(), defaultQueueUrl);
    SendSummary summary = generator.generate(request);
    output.write(summary.toJson().getBytes(StandardCharsets.UTF_8));
  }
}
