package dev.queuescaler.infra;

import dev.queuescaler.scaler.report.EmfCycleHeartbeat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.CfnTopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The dashboard (backlog, desired vs running tasks, scaling actions, scaler errors, completed
 * cycles and duration, worker throughput and message age, DLQ depth), the alarms (scaler errors, no
 * completed cycle, a target's configuration errors, a non-empty dead-letter queue, the oldest
 * message's age) and the topic every alarm notifies, going into alarm and back to OK. The scaler's
 * metrics are read in its runtime's namespace ({@link ScalerRuntime#metricsNamespace()}), so a
 * scaler under a prefix of its own is watched where it writes its heartbeat.
 */
public final class Observability extends Construct {

  private final Dashboard dashboard;
  private final Topic alarmTopic;
  private final String scalerNamespace;

  public Observability(
      Construct scope,
      String id,
      String target,
      ScalerRuntime runtime,
      IQueue queue,
      IQueue deadLetters,
      String queueName,
      int oldestMessageAlarmSeconds,
      Optional<String> alarmEmail) {
    super(scope, id);
    IFunction scaler = runtime.function();
    scalerNamespace = runtime.metricsNamespace();
    alarmTopic = alarmTopic(alarmEmail);
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
            "Scaler errors and completed cycles",
            List.of(
                scaler.metricErrors(),
                scalerMetric("Errors", targetDimension, "Sum"),
                scalerMetric("ConfigErrors", targetDimension, "Sum"),
                scalerMetric(EmfCycleHeartbeat.METRIC, Map.of(), "Sum"))),
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
    // What ScalerErrors cannot see: a schedule disabled or deleted, invocations throttled or
    // dropped before they run. None of them is a function error; each stops the heartbeat (as a
    // cycle cut off at the timeout does), and its absence is the alarm (missing data breaches).
    Alarm.Builder.create(this, "ScalerHeartbeat")
        .alarmDescription(
            "No scaling cycle completed in the last 3 minutes: the schedule is disabled or gone, or"
                + " the scaler function fails, times out or is throttled before a cycle ends")
        .metric(scalerMetric(EmfCycleHeartbeat.METRIC, Map.of(), "Sum"))
        .threshold(1)
        .evaluationPeriods(3)
        .datapointsToAlarm(3)
        .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
        .treatMissingData(TreatMissingData.BREACHING)
        .build();
    // Every decision line carries its target's count of configuration errors, also without a
    // dimension, so one alarm covers every target under the prefix (added by hand or renamed
    // included). It holds while an error stands and clears on the first cycle after the fix; a
    // minute without lines (the lease held, the deadline) keeps its state: a scaler that writes
    // none is the heartbeat's alarm.
    Alarm.Builder.create(this, "ConfigErrors")
        .alarmDescription(
            "A parameter under the scaler's prefix does not validate; the decision line's errors"
                + " name the target and the value")
        .metric(scalerMetric("ConfigErrors", Map.of(), "Maximum"))
        .threshold(0)
        .evaluationPeriods(1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .treatMissingData(TreatMissingData.IGNORE)
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

    // Every alarm of this construct, those above and any added later, goes to the topic.
    SnsAction notify = new SnsAction(alarmTopic);
    for (IConstruct child : getNode().findAll()) {
      if (child instanceof Alarm alarm) {
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
      }
    }
  }

  /**
   * The topic, TLS-only, that CloudWatch may publish to for this account's alarms, with {@code
   * alarmEmail} subscribed when given. Left unencrypted: see {@code ReviewedNagFindings}.
   */
  private Topic alarmTopic(Optional<String> alarmEmail) {
    Topic topic =
        Topic.Builder.create(this, "AlarmTopic")
            .displayName("Queue-depth autoscaler alarms")
            .enforceSsl(true)
            .build();
    // The topic policy that enforceSsl creates replaces SNS's default one, which is what let the
    // account's alarms publish; so CloudWatch is allowed here, for this account's alarms only.
    Stack stack = Stack.of(this);
    topic.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("CloudWatchAlarmsOfThisAccount")
            .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("sns:Publish"))
            .resources(List.of(topic.getTopicArn()))
            .conditions(
                Map.of(
                    "StringEquals",
                    Map.of("aws:SourceAccount", stack.getAccount()),
                    "ArnLike",
                    Map.of(
                        "aws:SourceArn",
                        stack.formatArn(
                            ArnComponents.builder()
                                .service("cloudwatch")
                                .resource("alarm")
                                .resourceName("*")
                                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                .build()))))
            .build());
    // On the topic itself rather than an AWS::SNS::Subscription: CloudFormation changes it in
    // place when the address changes, and moto, which the deploy rehearsal runs, models it.
    alarmEmail.ifPresent(
        email ->
            ((CfnTopic) topic.getNode().getDefaultChild())
                .setSubscription(
                    List.of(
                        CfnTopic.SubscriptionProperty.builder()
                            .protocol("email")
                            .endpoint(email)
                            .build())));
    return topic;
  }

  private Metric scalerMetric(String name, Map<String, String> dimensions, String stat) {
    return Metric.Builder.create()
        .namespace(scalerNamespace)
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

  /** Where every alarm of the stack goes; subscribe more endpoints to it than the email. */
  public Topic alarmTopic() {
    return alarmTopic;
  }
}
