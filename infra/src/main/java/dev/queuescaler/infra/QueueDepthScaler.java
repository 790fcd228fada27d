package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.ParameterKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ecs.BaseService;
import software.amazon.awscdk.services.ecs.CfnService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.ecs.IService;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Queue-depth scaling for one ECS service: the target's parameters under {@code <prefix>/<target>/}
 * (queue-url, cluster, service and the tunables set explicitly, each with its range and default in
 * the description) and the IAM its scaler needs for this queue and this service. The scaler itself
 * ({@link ScalerRuntime}: function, schedule, table, change queue) is shared by every target of the
 * stack under the same prefix.
 *
 * <pre>{@code
 * QueueDepthScaler.Builder.create(this, "OrdersScaling")
 *     .targetName("orders")
 *     .queue(ordersQueue)
 *     .service(ordersService)
 *     .tunables(ScalerTunables.builder().maxTasks(20).backlogPerTask(40).build())
 *     .build();
 * }</pre>
 */
public final class QueueDepthScaler extends Construct {

  private final ScalerRuntime runtime;
  private final String parameterPath;

  public QueueDepthScaler(Construct scope, String id, QueueDepthScalerProps props) {
    super(scope, id);
    requireReachable(props, props.runtime().map(Stack::of).orElseGet(() -> Stack.of(this)));
    runtime =
        props
            .runtime()
            .orElseGet(
                () -> ScalerRuntime.forPrefix(this, props.parameterPrefix(), props.telemetry()));
    parameterPath = props.parameterPrefix().targetPath(props.targetName());
    runtime.claimTarget(props.targetName(), getNode().getPath());
    String serviceName = serviceName(props.service());
    // A name CDK derives for a token ARN again is a new token each time: the service's own token
    // then, so one service given to two targets is still seen as one.
    String claimed =
        Token.isUnresolved(serviceName) ? props.service().getServiceName() : serviceName;
    runtime.claimService(
        props.cluster().getClusterName() + "/" + claimed,
        Token.isUnresolved(claimed) ? props.service().getNode().getPath() : claimed,
        getNode().getPath());

    parameter(ParameterKey.QUEUE_URL, props.queue().getQueueUrl());
    parameter(ParameterKey.CLUSTER, props.cluster().getClusterName());
    parameter(ParameterKey.SERVICE, serviceName);
    for (Map.Entry<ParameterKey, String> tunable : props.tunables().values().entrySet()) {
      parameter(tunable.getKey(), tunable.getValue());
    }

    // In this stack's managed policies for the scaler (ScalerAccess), never the role's inline
    // ones: IAM caps those at 10,240 characters for all of a role's inline policies together,
    // which a fleet over stacks would exceed at deploy. The runtime counts the attachments.
    ScalerAccess access = runtime.access(this);
    access.grant(props, serviceArn(props));
    // The scaler acts on a target once its parameters exist (their change event starts a cycle):
    // they wait for every grant policy of this stack, those that later targets start included,
    // so a first deploy never has the scaler read a target it is not yet allowed to scale.
    for (IConstruct child : getNode().getChildren()) {
      if (child instanceof StringParameter parameter) {
        parameter.getNode().addDependency(access);
      }
    }
    // At synthesis, not here: the app may give the service a count or a scaling policy after
    // building this construct.
    getNode().addValidation(() -> conflicts(props.service()));
  }

  /**
   * The scaler's clients take its Lambda's region, and ECS has no cross-account access: a service
   * of another account or region, or a queue of another region (SQS answers that it does not
   * exist), would synthesize and deploy, then fail every cycle. A queue of another account in the
   * region is reachable once its owner's queue policy allows the scaler's role. Only what both
   * sides name can be compared: an env-agnostic stack is the app's word.
   */
  private static void requireReachable(QueueDepthScalerProps props, Stack scaler) {
    IService service = props.service();
    String serviceArn = service.getServiceArn();
    // fromFargateServiceArn gives the import the stack's account and region, not its ARN's.
    Place serviceEnv =
        Token.isUnresolved(serviceArn)
            ? new Place(service.getEnv().getAccount(), service.getEnv().getRegion())
            : Place.of(serviceArn);
    String serviceName = Token.isUnresolved(serviceArn) ? service.getNode().getPath() : serviceArn;
    if (differ(serviceEnv.account(), scaler.getAccount())
        || differ(serviceEnv.region(), scaler.getRegion())) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.service "
              + serviceName
              + " is in account "
              + serviceEnv.account()
              + ", region "
              + serviceEnv.region()
              + ", but its scaler's stack ("
              + scaler.getNode().getPath()
              + ") is in account "
              + scaler.getAccount()
              + ", region "
              + scaler.getRegion()
              + ": the scaler calls ECS in its own account and region only. Put the"
              + " QueueDepthScaler, or its ScalerRuntime, in a stack of the service's account and"
              + " region");
    }
    IQueue queue = props.queue();
    String queueArn = queue.getQueueArn();
    String queueRegion =
        Token.isUnresolved(queueArn) ? queue.getEnv().getRegion() : Place.of(queueArn).region();
    if (differ(queueRegion, scaler.getRegion())) {
      throw new IllegalArgumentException(
          "QueueDepthScalerProps.queue "
              + (Token.isUnresolved(queueArn) ? queue.getNode().getPath() : queueArn)
              + " is in region "
              + queueRegion
              + ", but its scaler's stack ("
              + scaler.getNode().getPath()
              + ") is in region "
              + scaler.getRegion()
              + ": the scaler reads queues in its own region only. Put the QueueDepthScaler, or"
              + " its ScalerRuntime, in a stack of the queue's region");
    }
  }

  /** An account and a region, either empty or a token when not known. */
  private record Place(String account, String region) {
    static Place of(String arn) {
      ArnComponents parts = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
      return new Place(
          Objects.requireNonNullElse(parts.getAccount(), ""),
          Objects.requireNonNullElse(parts.getRegion(), ""));
    }
  }

  /** Both named, and not the same. */
  private static boolean differ(String a, String b) {
    return a != null
        && b != null
        && !a.isEmpty()
        && !b.isEmpty()
        && !Token.isUnresolved(a)
        && !Token.isUnresolved(b)
        && !a.equals(b);
  }

  /**
   * The ARN ECS checks ecs:DescribeServices and ecs:UpdateService against. A service of this app
   * has its real ARN. An imported one has what CDK formats from its name, {@code service/<name>}
   * unless the app sets {@code @aws-cdk/aws-ecs:arnFormatIncludesClusterName}, while ECS has named
   * services {@code service/<cluster>/<name>} since 2021: the grant would be denied every minute.
   * The construct knows the cluster, so it names the service that way whatever the flag.
   */
  private static String serviceArn(QueueDepthScalerProps props) {
    IService service = props.service();
    if (service instanceof BaseService) {
      return service.getServiceArn();
    }
    return Stack.of(service)
        .formatArn(
            ArnComponents.builder()
                .service("ecs")
                .account(service.getEnv().getAccount())
                .region(service.getEnv().getRegion())
                .resource("service")
                .resourceName(props.cluster().getClusterName() + "/" + serviceName(service))
                .build());
  }

  /**
   * The service's name as ECS knows it. CDK derives an imported service's name from its ARN by
   * {@code @aws-cdk/aws-ecs:arnFormatIncludesClusterName}; without the flag, from an ARN that is
   * not literal, it takes the ARN's resource name:
   *
   * <ul>
   *   <li>of an ARN that mixes text and tokens ({@code "arn:" + Aws.PARTITION + ...}, or {@code
   *       stack.formatArn}), the literal text after {@code service/}: {@code <cluster>/<name>}. A
   *       service name has no {@code /}, so a name with one is taken here as what follows the last
   *       {@code /} (a token's text has none);
   *   <li>of an ARN that is a token, element 1 of {@code service/<cluster>/<name>}, the cluster. A
   *       name that is a token and not part of the ARN was derived from the ARN in this way (a name
   *       given to {@code fromFargateServiceAttributes} is part of the ARN CDK formats from it, and
   *       is kept): it is taken here as element 2, ECS's format since 2021, whatever the flag.
   *       CloudFormation cannot take the last element of a split of unknown length, so a token ARN
   *       of the old format {@code service/<name>} fails the deploy (Fn::Select out of range)
   *       instead of naming the wrong service.
   * </ul>
   */
  private static String serviceName(IService service) {
    String name = service.getServiceName();
    String arn = service.getServiceArn();
    if (service instanceof BaseService || !Token.isUnresolved(arn)) {
      return name;
    }
    if (name.contains("/")) {
      return name.substring(name.lastIndexOf('/') + 1);
    }
    if (!Token.isUnresolved(name) || arn.contains(name)) {
      return name;
    }
    return Fn.select(2, Fn.split("/", Fn.select(5, Fn.split(":", arn))));
  }

  /**
   * A desired count in the template or an Application Auto Scaling policy on the service would
   * overwrite the scaler's count (the first at every deploy, the second every minute), and the two
   * would fight. Only a service of this app can be seen; an imported one is the app's word.
   */
  private static List<String> conflicts(IService service) {
    List<String> errors = new ArrayList<>();
    if (!(service instanceof BaseService base)) {
      return errors;
    }
    if (base.getNode().getDefaultChild() instanceof CfnService cfn
        && cfn.getDesiredCount() != null) {
      errors.add(
          "QueueDepthScaler: the service "
              + base.getNode().getPath()
              + " has a desiredCount ("
              + cfn.getDesiredCount()
              + "); remove it, or every deploy resets the count the scaler set");
    }
    if (base.getNode().tryFindChild("TaskCount") != null) {
      errors.add(
          "QueueDepthScaler: the service "
              + base.getNode().getPath()
              + " has Application Auto Scaling (autoScaleTaskCount); remove it, or its policies"
              + " and the scaler overwrite each other's count");
    }
    return errors;
  }

  /**
   * One key. Deleted with the construct or when a later template drops it: the template owns only
   * the keys it sets (queue-url, cluster, service and the tunables set in code). So removing the
   * construct removes its target, which the scaler then stops scaling (it would no longer have the
   * IAM for it); dropping a tunable from code brings back the scaler's default; and adding the key
   * again later creates it anew. Live tuning goes through keys the template does not set.
   */
  private void parameter(ParameterKey key, String value) {
    StringParameter parameter =
        StringParameter.Builder.create(this, key.key())
            .parameterName(parameterPath + "/" + key.key())
            .stringValue(value)
            .description(
                key.key()
                    + " ("
                    + key.kind().label()
                    + "): "
                    + key.valid()
                    + "; default "
                    + key.tableDefault()
                    + ". Read by the scaler every minute.")
            .build();
    parameter.applyRemovalPolicy(RemovalPolicy.DESTROY);
  }

  /** {@code <prefix>/<target>}: where operators tune this target. */
  public String parameterPath() {
    return parameterPath;
  }

  public ScalerRuntime runtime() {
    return runtime;
  }

  /** The CDK builder style: {@code QueueDepthScaler.Builder.create(scope, id)...build()}. */
  public static final class Builder {

    private final Construct scope;
    private final String id;
    private final QueueDepthScalerProps.Builder props = QueueDepthScalerProps.builder();

    private Builder(Construct scope, String id) {
      this.scope = scope;
      this.id = id;
    }

    public static Builder create(Construct scope, String id) {
      return new Builder(scope, id);
    }

    /** See {@link QueueDepthScalerProps.Builder#targetName}. Required. */
    public Builder targetName(String targetName) {
      props.targetName(targetName);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#queue}. Required. */
    public Builder queue(IQueue queue) {
      props.queue(queue);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#service}. Required. */
    public Builder service(IService service) {
      props.service(service);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#cluster}. Default: the service's cluster. */
    public Builder cluster(ICluster cluster) {
      props.cluster(cluster);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#tunables}. Default: none set. */
    public Builder tunables(ScalerTunables tunables) {
      props.tunables(tunables);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#parameterPrefix}. Default: /queue-scaler. */
    public Builder parameterPrefix(String parameterPrefix) {
      props.parameterPrefix(parameterPrefix);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#runtime}. Default: the stack's own. */
    public Builder runtime(ScalerRuntime runtime) {
      props.runtime(runtime);
      return this;
    }

    /** See {@link QueueDepthScalerProps.Builder#telemetry}. Default: X-Ray, INFO. */
    public Builder telemetry(TelemetrySettings telemetry) {
      props.telemetry(telemetry);
      return this;
    }

    public QueueDepthScaler build() {
      return new QueueDepthScaler(scope, id, props.build());
    }
  }
}
