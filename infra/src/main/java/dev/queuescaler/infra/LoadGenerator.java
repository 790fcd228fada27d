package dev.queuescaler.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The generator Lambda (active tracing, so its messages carry {@code AWSTraceHeader}), invocable by
 * hand, and an optional every-minute schedule with a sine profile (context {@code
 * generatorSchedule}, off by default).
 */
public final class LoadGenerator extends Construct {

  public static final String HANDLER = "dev.queuescaler.generator.GeneratorHandler::handleRequest";
  public static final String DEFAULT_JAR = "../generator/target/generator.jar";
  public static final String SCHEDULED_PROFILE =
      "{\"profile\":{\"shape\":\"sine\",\"min\":0,\"max\":2000,\"periodMinutes\":60},"
          + "\"workMillis\":200}";

  private final Function function;

  public LoadGenerator(
      Construct scope,
      String id,
      IQueue queue,
      String jarPath,
      boolean everyMinute,
      TelemetrySettings telemetry) {
    super(scope, id);
    function =
        JavaFunctions.builder(this, HANDLER, jarPath, telemetry)
            .memorySize(1024)
            .timeout(Duration.minutes(5))
            .environment(Map.of("QUEUE_URL", queue.getQueueUrl()))
            .description("Puts random work messages on the queue (load generator)")
            .build();
    JavaFunctions.traced(function, telemetry);
    queue.grantSendMessages(function);

    if (everyMinute) {
      new EveryMinuteSchedule(
          this, "EveryMinute", function, SCHEDULED_PROFILE, "Generates load in a sine wave");
    }
  }

  public Function function() {
    return function;
  }
}
