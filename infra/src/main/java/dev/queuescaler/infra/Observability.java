package dev.queuescaler.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * The dashboard (backlog, desired vs running tasks, scaling actions, scaler errors and duration,
 * worker throughput and message age, DLQ depth) and the alarms: scaler errors, a non-empty
 * dead-letter queue, and the oldest message's age.
 */
public final class Observability extends Construct {

  private final Dashboard dashboard;

  public Observability(
      Construct scope,
      String id,
      String target,
      IFunction scaler,
      IQueue queue,
      IQueue deadLetters,
      String queueName,
      int oldestMessageAlarmSeconds) {
    super(scope, id);
    Map<String, String> targetDimension = Map.of("Target", target);
    Map<String, String> queueDimension = Map.of("queue", queueName);

    dashboard =
        Dashboard.Builder.create(this, "Dashboard").defaultInterval(Duration.hours(3)).build();
    dashboard.addWidgets(
        graph("Backlog (messages)", List.of(scalerMetric("Backlog", targetDimension, "Maximum"))),
        graph(
            "Desired vs running tasks",
            List.of(
                scalerMetric("DesiredTasks", targetDimension, "Maximum"),
                scalerMetric("RunningTasks", targetDimension, "Maximum"))),
        graph("Scaling actions", List.of(scalerMetric("ScalingActions", targetDimension, "Sum"))));
    dashboard.addWidgets(
        graph(
            "Scaler errors",
            List.of(
                scaler.metricErrors(),
                scalerMetric("Errors", targetDimension, "Sum"),
                scalerMetric("ConfigErrors", targetDimension, "Sum"))),
        graph(
            "Scaler duration (ms)",
            List.of(
                scaler.metricDuration(), scalerMetric("CycleMillis", targetDimension, "Maximum"))),
        graph(
            "Worker throughput (messages/min)",
            List.of(
                workerMetric("worker.messages.processed.count", queueDimension, "Sum"),
                workerMetric("worker.messages.failed.count", queueDimension, "Sum"))));
    dashboard.addWidgets(
        graph(
            "Message age at receive (ms)",
            List.of(
                workerMetric("worker.message.age.avg", queueDimension, "Average"),
                workerMetric("worker.message.age.max", queueDimension, "Maximum"))),
        graph(
            "Oldest message (s) and dead letters",
            List.of(
                queue.metricApproximateAgeOfOldestMessage(),
                deadLetters.metricApproximateNumberOfMessagesVisible())));

    Alarm.Builder.create(this, "ScalerErrors")
        .alarmDescription("The queue-depth scaler failed in 3 of the last 5 minutes")
        .metric(
            scaler.metricErrors().with(MetricOptions.builder().period(Duration.minutes(1)).build()))
        .threshold(1)
        .evaluationPeriods(5)
        .datapointsToAlarm(3)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    Alarm.Builder.create(this, "DeadLetters")
        .alarmDescription("Messages reached the dead-letter queue")
        .metric(deadLetters.metricApproximateNumberOfMessagesVisible())
        .threshold(1)
        .evaluationPeriods(1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    Alarm.Builder.create(this, "OldestMessage")
        .alarmDescription("The oldest message has waited longer than the alarm threshold")
        .metric(queue.metricApproximateAgeOfOldestMessage())
        .threshold(oldestMessageAlarmSeconds)
        .evaluationPeriods(3)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  private static Metric scalerMetric(String name, Map<String, String> dimensions, String stat) {
    return Metric.Builder.create()
        .namespace("QueueScaler")
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(stat)
        .period(Duration.minutes(1))
        .build();
  }

  private static Metric workerMetric(String name, Map<String, String> dimensions, String stat) {
    return Metric.Builder.create()
        .namespace(WorkerService.METRICS_NAMESPACE)
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(stat)
        .period(Duration.minutes(1))
        .build();
  }

  private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
    return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(8).build();
  }

  public Dashboard dashboard() {
    return dashboard;
  }
}
