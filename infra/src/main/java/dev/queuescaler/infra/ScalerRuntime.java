package dev.queuescaler.infra;

import dev.queuescaler.scaler.lambda.FunctionTimeout;
import dev.queuescaler.scaler.report.EmfMetricsSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * One scaler for one {@link ParameterPrefix}: the function (SnapStart on a published version behind
 * the alias {@code live}), its every-minute schedule, its state table, its change queue with the
 * rule that fills it with Parameter Store's changes under the prefix, and the queue of its idle
 * checks. It reads that prefix only ({@code SCALER_PARAMETER_PATH} and IAM on {@code
 * parameter<prefix>} and below), so a function never reads targets it has no permission to act on.
 *
 * <p>Parameter Store's change events for the prefix go to the runtime's change queue ({@link
 * #changeQueue}), which each cycle drains (the function gets its URL in {@code
 * SCALER_CHANGE_QUEUE_URL} and may receive, delete and count its messages, on that queue only): a
 * storm of changes waits there as messages, not as invocations that throttling could drop.
 *
 * <p>Decision events go to the account's default bus unless the runtime is given one ({@link
 * #forPrefix(Construct, String, IEventBus)}); each names the prefix that decided.
 *
 * <p>How its function traces and logs is its {@link TelemetrySettings}, given where the runtime is
 * created ({@link #forPrefix(Construct, String, TelemetrySettings)}, or {@code .telemetry(...)} on
 * the first {@link QueueDepthScaler} that creates it), {@link TelemetrySettings#defaults()}
 * otherwise. It reads no context of the app it is built in: a {@code logLevel} or {@code tracing}
 * of the app's own is not the scaler's.
 *
 * <p>Every {@link QueueDepthScaler} of a stack with the same prefix shares the stack's runtime for
 * it, created on first use. Stacks that share a prefix share one runtime: create it once with
 * {@link #forPrefix} and pass it to each construct with {@code .runtime(...)}; the other stacks
 * then depend on its stack, never the other way round. Two runtimes on one prefix, or on prefixes
 * one inside the other, in one account and region would read each other's targets, and fail
 * synthesis.
 */
public final class ScalerRuntime extends Construct {

  static final String ID = "QueueDepthScalerRuntime";
  public static final String HANDLER = "dev.queuescaler.scaler.lambda.ScalerHandler::handleRequest";

  /** The metrics namespace of the default prefix (its {@code SCALER_METRICS_NAMESPACE}). */
  public static final String METRICS_NAMESPACE = EmfMetricsSink.DEFAULT_NAMESPACE;

  /**
   * Lambda gives CPU in proportion to memory; the cold start is CPU-bound class loading
   * (docs/fleet.md, "Memory and timeout"), so 1 GiB buys most of a vCPU. The heap a cycle needs is
   * far smaller.
   */
  public static final int MEMORY_MIB = 1024;

  /**
   * How long a change event waits in the change queue at most: the walk over the prefix finds any
   * change it told of long before (a walk over 1,000 targets takes minutes).
   */
  public static final Duration CHANGE_RETENTION = Duration.days(1);

  private final ParameterPrefix prefix;
  private final String metricsNamespace;
  private final Function function;
  private final Alias alias;
  private final Table table;
  private final Queue changeQueue;
  private final Optional<IEventBus> decisionBus;
  private final TelemetrySettings telemetry;
  private final Queue idleChecks;

  /**
   * The scaler's own figure ({@link FunctionTimeout}): the 45 s sample must still be able to act,
   * with the spans' flush after it, when the handler starts a little late.
   */
  static final Duration FUNCTION_TIMEOUT = Duration.seconds(FunctionTimeout.DEPLOYED.toSeconds());

  /** Each target's name under the prefix and the construct that wrote it. */
  private final Map<String, String> targets = new HashMap<>();

  /** Each service scaled, by its cluster and name as written, and the construct that scales it. */
  private final Map<String, String> services = new HashMap<>();

  /** The targets' grants, one per stack with targets of this scaler, in order of creation. */
  private final List<ScalerAccess> accesses = new ArrayList<>();

  private ScalerRuntime(
      Construct scope,
      String id,
      ParameterPrefix prefix,
      Optional<IEventBus> decisionBus,
      TelemetrySettings telemetry) {
    super(scope, id);
    this.prefix = prefix;
    this.decisionBus = decisionBus;
    this.telemetry = telemetry;
    // The heartbeat has no dimension: two scalers in one namespace would hide each other's.
    metricsNamespace =
        prefix.equals(ParameterPrefix.DEFAULT) ? METRICS_NAMESPACE : METRICS_NAMESPACE + prefix;
    table =
        Table.Builder.create(this, "State")
            .partitionKey(Attribute.builder().name("target").type(AttributeType.STRING).build())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    // Standard, not FIFO: the order of changes does not matter (a read takes the latest values),
    // and a notice seen twice costs one more read. No dead-letter queue: a notice the scaler
    // cannot settle (a target whose read keeps failing) is still wanted, and comes back until its
    // retention ends; the walk over the prefix finds its change in any case.
    changeQueue =
        Queue.Builder.create(this, "ParameterChangeQueue")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .retentionPeriod(CHANGE_RETENTION)
            .build();
    String bus = decisionBus.map(IEventBus::getEventBusName).orElse("default");
    // Idle checks (idle-check-seconds): an invocation that ends while targets are idle leaves
    // their checks here, each delayed until due; the function consumes the queue. A check that
    // fails, or cannot run (the function runs one invocation at a time), goes to the dead letters
    // instead of a retry: retried after the visibility timeout it would be stale, and the next
    // invocation reads its targets anyway.
    Queue failedChecks =
        Queue.Builder.create(this, "FailedIdleChecks")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .build();
    idleChecks =
        Queue.Builder.create(this, "IdleChecks")
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            // Lambda requires at least the function's timeout for a queue it consumes.
            .visibilityTimeout(FUNCTION_TIMEOUT)
            // One check message names up to 3,000 idle targets (under 900 KB at the longest names).
            .maxMessageSizeBytes(1_048_576)
            // A check is due within the minute it was sent in; later it is stale.
            .retentionPeriod(Duration.minutes(5))
            .deadLetterQueue(
                DeadLetterQueue.builder().queue(failedChecks).maxReceiveCount(1).build())
            .build();
    function =
        JavaFunctions.builder(this, HANDLER, ScalerCode.jar().toString(), telemetry)
            .memorySize(MEMORY_MIB)
            .timeout(FUNCTION_TIMEOUT)
            // One cycle at a time: a tick that comes while a cycle still runs (one that runs past
            // the minute) waits in Lambda's asynchronous queue until that one ends, and is
            // dropped if it cannot start within its 60 s maximum age (EveryMinuteSchedule).
            // Parameter Store's change events wait in the change queue instead.
            .reservedConcurrentExecutions(1)
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(
                Map.of(
                    "SCALER_STATE_TABLE",
                    table.getTableName(),
                    "SCALER_PARAMETER_PATH",
                    prefix.value(),
                    "SCALER_EVENT_BUS",
                    bus,
                    "SCALER_CHANGE_QUEUE_URL",
                    changeQueue.getQueueUrl(),
                    "SCALER_METRICS_NAMESPACE",
                    metricsNamespace,
                    "SCALER_IDLE_CHECK_QUEUE_URL",
                    idleChecks.getQueueUrl(),
                    "JAVA_TOOL_OPTIONS",
                    "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))
            .description(
                "Queue-depth scaler: sets ECS desired counts from SQS backlog every minute")
            .build();
    JavaFunctions.traced(function, telemetry);
    Annotations.of(function)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "the alias 'live' publishes a version; the schedule invokes that alias");
    alias =
        Alias.Builder.create(this, "Live")
            .aliasName("live")
            .version(function.getCurrentVersion())
            .build();

    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(
                List.of(
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem"))
            .resources(List.of(table.getTableArn()))
            .build());
    Stack stack = Stack.of(this);
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("ssm:GetParametersByPath"))
            .resources(
                List.of(
                    stack.formatArn(
                        ArnComponents.builder()
                            .service("ssm")
                            .resource("parameter")
                            .resourceName(prefix.value().substring(1))
                            .build()),
                    stack.formatArn(
                        ArnComponents.builder()
                            .service("ssm")
                            .resource("parameter")
                            .resourceName(prefix.value().substring(1) + "/*")
                            .build())))
            .build());
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("events:PutEvents"))
            .resources(
                List.of(
                    decisionBus
                        .map(IEventBus::getEventBusArn)
                        .orElseGet(
                            () ->
                                stack.formatArn(
                                    ArnComponents.builder()
                                        .service("events")
                                        .resource("event-bus")
                                        .resourceName("default")
                                        .build()))))
            .build());
    // The change queue, and no other: DeleteMessageBatch is authorized as sqs:DeleteMessage.
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"))
            .resources(List.of(changeQueue.getQueueArn()))
            .build());

    // Sends its own checks (SendMessageBatch needs sqs:SendMessage); receives and deletes them
    // through the event source mapping, which grants what it needs on this queue alone.
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of("sqs:SendMessage"))
            .resources(List.of(idleChecks.getQueueArn()))
            .build());
    // One check a call, at once: each is due at its own time, and one batch would delay the first.
    alias.addEventSource(SqsEventSource.Builder.create(idleChecks).batchSize(1).build());

    new EveryMinuteSchedule(
        this, "EveryMinute", alias, "{}", "Runs the queue-depth scaler every minute");

    // Each cycle drains the change queue before it reads parameters: a change is read within the
    // minute, and a storm of changes costs one walk, however many events it made. EventBridge's
    // own retries (up to a day) cover a queue that is briefly unavailable.
    Rule.Builder.create(this, "ParameterChanges")
        .description("Queues Parameter Store changes under its prefix for the queue-depth scaler")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.ssm"))
                .detailType(List.of("Parameter Store Change"))
                .detail(Map.of("name", List.of(Map.of("prefix", prefix.value() + "/"))))
                .build())
        .targets(List.of(SqsQueue.Builder.create(changeQueue).build()))
        .build();
    ReviewedNagFindings.scalerRuntime(this);
    // At synthesis, once every construct of the app exists: another scaler may come later.
    getNode().addValidation(this::servicesOfAnotherScaler);
    getNode().addValidation(this::managedPoliciesOfTheRole);
  }

  /**
   * The runtime of {@code scope}'s stack for {@code parameterPrefix}, created on first use.
   *
   * @throws IllegalArgumentException when another stack of the app (in the same account and region,
   *     or either unknown) already has a runtime on this prefix or one inside or around it
   */
  public static ScalerRuntime forPrefix(Construct scope, String parameterPrefix) {
    return forPrefix(
        scope, new ParameterPrefix(parameterPrefix), Optional.empty(), Optional.empty());
  }

  /**
   * As {@link #forPrefix(Construct, String)}, the scaler's function tracing and logging as {@code
   * telemetry} says instead of {@link TelemetrySettings#defaults()}.
   *
   * @throws IllegalArgumentException as {@link #forPrefix(Construct, String)} does, and when the
   *     stack's runtime for the prefix already exists with other settings
   */
  public static ScalerRuntime forPrefix(
      Construct scope, String parameterPrefix, TelemetrySettings telemetry) {
    return forPrefix(
        scope,
        new ParameterPrefix(parameterPrefix),
        Optional.empty(),
        Optional.of(Objects.requireNonNull(telemetry, "telemetry")));
  }

  /** Both: decision events on {@code decisionBus}, tracing and logging as {@code telemetry}. */
  public static ScalerRuntime forPrefix(
      Construct scope, String parameterPrefix, IEventBus decisionBus, TelemetrySettings telemetry) {
    return forPrefix(
        scope,
        new ParameterPrefix(parameterPrefix),
        Optional.of(Objects.requireNonNull(decisionBus, "decisionBus")),
        Optional.of(Objects.requireNonNull(telemetry, "telemetry")));
  }

  /**
   * As {@link #forPrefix(Construct, String)}, the scaler's decision events put on {@code
   * decisionBus} instead of the account's default bus: for an account whose default bus has rules
   * that another scaler's events would wake, or consumers that want one scaler's events only.
   *
   * @throws IllegalArgumentException as {@link #forPrefix(Construct, String)} does, and when the
   *     stack's runtime for the prefix already exists with another bus
   */
  public static ScalerRuntime forPrefix(
      Construct scope, String parameterPrefix, IEventBus decisionBus) {
    return forPrefix(
        scope,
        new ParameterPrefix(parameterPrefix),
        Optional.of(Objects.requireNonNull(decisionBus, "decisionBus")),
        Optional.empty());
  }

  /** The stack's runtime for {@code prefix}, with {@code telemetry} when it is given. */
  static ScalerRuntime forPrefix(
      Construct scope, ParameterPrefix prefix, Optional<TelemetrySettings> telemetry) {
    return forPrefix(scope, prefix, Optional.empty(), telemetry);
  }

  private static ScalerRuntime forPrefix(
      Construct scope,
      ParameterPrefix prefix,
      Optional<IEventBus> decisionBus,
      Optional<TelemetrySettings> telemetry) {
    Stack stack = Stack.of(scope);
    String id = prefix.equals(ParameterPrefix.DEFAULT) ? ID : ID + prefix.value().replace('/', ':');
    Construct existing = (Construct) stack.getNode().tryFindChild(id);
    if (existing instanceof ScalerRuntime runtime) {
      if (decisionBus.isPresent() && !decisionBus.equals(runtime.decisionBus)) {
        throw new IllegalArgumentException(
            "the scaler for "
                + prefix
                + " at "
                + runtime.getNode().getPath()
                + " already puts its decision events on "
                + runtime.decisionBus.map(b -> b.getNode().getPath()).orElse("the default bus")
                + ": name the bus where that runtime is first created");
      }
      if (telemetry.isPresent() && !telemetry.get().equals(runtime.telemetry)) {
        throw new IllegalArgumentException(
            "the scaler for "
                + prefix
                + " at "
                + runtime.getNode().getPath()
                + " already traces and logs as "
                + runtime.telemetry
                + ", not "
                + telemetry.get()
                + ": give its TelemetrySettings where that runtime is first created");
      }
      return runtime;
    }
    for (IConstruct other : stack.getNode().getRoot().getNode().findAll()) {
      if (other instanceof ScalerRuntime runtime
          && runtime.prefix.overlaps(prefix)
          && sameAccountAndRegion(Stack.of(runtime), stack)) {
        throw new IllegalArgumentException(
            "parameterPrefix "
                + prefix
                + " would share targets with the scaler at "
                + runtime.getNode().getPath()
                + " (prefix "
                + runtime.prefix
                + "): two scalers would read and scale the same targets. Give this stack's"
                + " targets a prefix of their own, or share that scaler: pass"
                + " ScalerRuntime.forPrefix(<its stack>, \""
                + runtime.prefix
                + "\") to each QueueDepthScaler with .runtime(...)");
      }
    }
    return new ScalerRuntime(
        stack, id, prefix, decisionBus, telemetry.orElseGet(TelemetrySettings::defaults));
  }

  /** Unless both stacks name their account and region and they differ, assume they are one. */
  private static boolean sameAccountAndRegion(Stack a, Stack b) {
    return !(known(a.getAccount())
            && known(b.getAccount())
            && !a.getAccount().equals(b.getAccount()))
        && !(known(a.getRegion()) && known(b.getRegion()) && !a.getRegion().equals(b.getRegion()));
  }

  private static boolean known(String value) {
    return !Token.isUnresolved(value);
  }

  /**
   * Records that the construct at {@code path} writes {@code <prefix>/<targetName>}.
   *
   * @throws IllegalArgumentException when another construct already writes that target: both would
   *     create the same parameters, and CloudFormation would fail the deploy on the second
   */
  void claimTarget(String targetName, String path) {
    String earlier = targets.putIfAbsent(targetName, path);
    if (earlier != null) {
      throw new IllegalArgumentException(
          "QueueDepthScaler "
              + path
              + ": targetName \""
              + targetName
              + "\" is already used under "
              + prefix
              + " by "
              + earlier
              + "; give each target a name of its own under a prefix");
    }
  }

  /**
   * Records that the construct at {@code path} scales {@code service} (its cluster and name as the
   * target writes them, {@code shown} in messages).
   *
   * @throws IllegalArgumentException when another target of this scaler scales it: the scaler
   *     refuses both at run time (neither acts), so the service would never be scaled
   */
  void claimService(String service, String shown, String path) {
    String earlier = services.putIfAbsent(service, path);
    if (earlier != null) {
      throw new IllegalArgumentException(
          "QueueDepthScaler "
              + path
              + ": the service "
              + shown
              + " is already scaled by "
              + earlier
              + " under "
              + prefix
              + "; the scaler refuses two targets on one service (neither would act): give each"
              + " service one QueueDepthScaler");
    }
  }

  /**
   * The services this scaler shares with another one of the app in the same account and region:
   * both would set their desired counts, each from its own formula. Reported by the runtime whose
   * path sorts later, so a pair is reported once.
   */
  private List<String> servicesOfAnotherScaler() {
    List<String> errors = new ArrayList<>();
    String path = getNode().getPath();
    for (IConstruct other : getNode().getRoot().getNode().findAll()) {
      if (other instanceof ScalerRuntime runtime
          && runtime != this
          && runtime.getNode().getPath().compareTo(path) < 0
          && sameAccountAndRegion(Stack.of(runtime), Stack.of(this))) {
        services.forEach(
            (service, target) -> {
              String theirs = runtime.services.get(service);
              if (theirs != null) {
                errors.add(
                    "QueueDepthScaler "
                        + target
                        + " (prefix "
                        + prefix
                        + ") and "
                        + theirs
                        + " (prefix "
                        + runtime.prefix
                        + ") scale the same service: two scalers would each set its desired count"
                        + " every minute. Give each service one QueueDepthScaler");
              }
            });
      }
    }
    return errors;
  }

  /** How the scaler's function traces and logs. */
  public TelemetrySettings telemetry() {
    return telemetry;
  }

  /**
   * The grants of {@code target}'s stack for this scaler, created on first use.
   *
   * @throws IllegalArgumentException when that stack already holds another scaler's grants under
   *     the same id (two scalers on one prefix in different environments, one stack for both)
   */
  ScalerAccess access(Construct target) {
    Stack stack = Stack.of(target);
    String id = getNode().getId().replace(ID, ScalerAccess.ID);
    if (stack.getNode().tryFindChild(id) instanceof ScalerAccess access) {
      if (access.runtime() != this) {
        throw new IllegalArgumentException(
            "QueueDepthScaler "
                + target.getNode().getPath()
                + ": its stack already grants the scaler at "
                + access.runtime().getNode().getPath()
                + " on "
                + prefix
                + "; a stack's targets on one prefix share one scaler");
      }
      return access;
    }
    ScalerAccess access = new ScalerAccess(stack, id, this);
    accesses.add(access);
    if (stack == Stack.of(this)) {
      // In the runtime's own stack nothing else orders the function after its grants (its role's
      // DefaultPolicy holds none of them): the function, and so its alias, schedule and idle-check
      // mapping, waits for them. The function alone, not its role, which the policies attach to.
      // Another stack's grants are never waited for here: this stack would depend on that one,
      // which depends on this one.
      function.getNode().getDefaultChild().getNode().addDependency(access);
    }
    return access;
  }

  /**
   * IAM attaches at most 10 managed policies to a role, 20 with the quota raised ({@link
   * ScalerRoleCapacity}): the role's own and every stack's grants, counted here at synthesis rather
   * than found by the deploy of the stack that goes over.
   */
  private List<String> managedPoliciesOfTheRole() {
    int quota;
    try {
      quota = ScalerRoleCapacity.managedPoliciesPerRole(getNode());
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
    Object ownArns =
        function.getRole().getNode().getDefaultChild() instanceof CfnRole role
            ? Stack.of(this).resolve(role.getManagedPolicyArns())
            : null;
    int own = ownArns instanceof List<?> arns ? arns.size() : 0;
    int targets = accesses.stream().mapToInt(ScalerAccess::policyCount).sum();
    if (own + targets <= quota) {
      return List.of();
    }
    StringBuilder perStack = new StringBuilder();
    for (ScalerAccess access : accesses) {
      perStack
          .append(perStack.length() == 0 ? "" : ", ")
          .append(Stack.of(access).getNode().getPath())
          .append(' ')
          .append(access.policyCount());
    }
    String fix =
        quota < ScalerRoleCapacity.MANAGED_POLICIES_PER_ROLE_RAISED
            ? "; IAM's quota \"Managed policies per role\" is 10 unless raised, and can be raised"
                + " to 20: raise it and set the context "
                + ScalerRoleCapacity.QUOTA_CONTEXT_KEY
                + " to it,"
            : ", even with IAM's quota \"Managed policies per role\" raised to 20:";
    return List.of(
        "QueueDepthScaler: the scaler at "
            + getNode().getPath()
            + " (prefix "
            + prefix
            + ") needs "
            + (own + targets)
            + " managed policies attached to its role ("
            + own
            + " of the role's own, "
            + targets
            + " for its targets' grants: "
            + perStack
            + "), and IAM attaches at most "
            + quota
            + " to a role"
            + fix
            + " or put these targets in fewer stacks (each stack with targets needs at least one"
            + " policy of its own; one holds 6,144 characters, 54 targets named like"
            + " service/prod/orders-001 and queue orders-001), or give a stack's targets a prefix"
            + " of its own, and so a scaler of their own");
  }

  /** The Parameter Store path this scaler reads, and only it. */
  public ParameterPrefix parameterPrefix() {
    return prefix;
  }

  /**
   * Where the scaler writes its metrics: {@value #METRICS_NAMESPACE} for the default prefix,
   * {@value #METRICS_NAMESPACE} followed by the prefix otherwise ({@code QueueScaler/team-a}).
   */
  public String metricsNamespace() {
    return metricsNamespace;
  }

  public Function function() {
    return function;
  }

  /** The queue of idle checks the function sends itself and consumes. */
  public Queue idleChecks() {
    return idleChecks;
  }

  public Alias alias() {
    return alias;
  }

  public Table table() {
    return table;
  }

  /**
   * The queue the rule puts Parameter Store's change events for the prefix on, drained by each
   * cycle.
   */
  public Queue changeQueue() {
    return changeQueue;
  }
}
