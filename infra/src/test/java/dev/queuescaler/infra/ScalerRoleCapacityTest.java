package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The scaler's one role against IAM's limits (IAM and AWS STS quotas): a role's inline policies
 * together hold at most 10,240 characters, a managed policy 6,144, and a role has at most 10
 * managed policies attached (a quota that can be raised to 20); whitespace is not counted. A fleet
 * that spreads over stacks must fit all three, and one that does not must fail synthesis rather
 * than the deploy of the stack that goes over.
 *
 * <p>The fleet here is a platform's: services and queues imported by ARN, with short names ({@code
 * service/prod/orders-001}, queue {@code orders-001}), so every ARN in a policy is literal and its
 * size is what IAM counts.
 */
class ScalerRoleCapacityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "eu-west-1";

  /** The context key that tells the construct the account's quota of managed policies a role. */
  private static final String QUOTA = "queueScaler:managedPoliciesPerRole";

  /** How many targets with these names one managed policy holds (measured below). */
  private static final int TARGETS_A_POLICY = 54;

  @Test
  void aFleetOfNineStacksFitsTheRolesLimitsAtTheDefaultQuota() throws Exception {
    Fleet fleet = new Fleet(new App());
    fleet.targets(fleet.platform, TARGETS_A_POLICY);
    for (int i = 1; i < 9; i++) {
      fleet.targets(fleet.stack("Team" + i), TARGETS_A_POLICY);
    }
    fleet.app.synth();

    Measured measured = fleet.measure();
    System.out.println("Scaler role, 486 targets over 9 stacks: " + measured);
    assertThat(measured.granted).as("every target's service and queue").hasSize(2 * 486);
    assertThat(measured.managedPolicies).as("attached managed policies").isLessThanOrEqualTo(10);
    assertThat(measured.largestManaged).as("a managed policy's characters").isLessThan(6_144);
    assertThat(measured.inline).as("the role's inline characters").isLessThan(10_240);
  }

  /** The review's fleet: 40 targets, each in a stack of its own apart from the scaler's. */
  @Test
  void targetsInOtherStacksAddNoInlinePolicyToTheScalersRole() throws Exception {
    Fleet fleet = new Fleet(new App());
    for (int i = 1; i <= 8; i++) {
      fleet.targets(fleet.stack("Team" + i), 5);
    }
    fleet.app.synth();

    Measured measured = fleet.measure();
    System.out.println("Scaler role, 40 targets over 8 other stacks: " + measured);
    assertThat(measured.inlinePolicies).as("the runtime's own policy alone").isEqualTo(1);
    assertThat(measured.granted).hasSize(80);
  }

  @Test
  void aThousandTargetsOverNineteenStacksFitWithTheQuotaRaisedToTwenty() throws Exception {
    Fleet fleet = new Fleet(new App(AppProps.builder().context(Map.of(QUOTA, 20)).build()));
    fleet.targets(fleet.platform, TARGETS_A_POLICY);
    for (int i = 1; i < 19; i++) {
      fleet.targets(fleet.stack("Team" + i), TARGETS_A_POLICY);
    }
    fleet.app.synth();

    Measured measured = fleet.measure();
    System.out.println("Scaler role, 1,026 targets over 19 stacks: " + measured);
    assertThat(measured.granted).hasSize(2 * 1_026);
    assertThat(measured.managedPolicies).isLessThanOrEqualTo(20);
    assertThat(measured.largestManaged).isLessThan(6_144);
    assertThat(measured.inline).isLessThan(10_240);
  }

  @Test
  void oneStackTooManyFailsSynthesisNamingTheQuotaAndWhatToDo() {
    Fleet fleet = new Fleet(new App());
    for (int i = 1; i <= 10; i++) {
      fleet.targets(fleet.stack("Team" + i), 1);
    }

    assertThatThrownBy(fleet.app::synth)
        .hasMessageContaining("11 managed policies")
        .hasMessageContaining("at most 10")
        .hasMessageContaining("raised to 20")
        .hasMessageContaining(QUOTA)
        .hasMessageContaining("a prefix of its own");
  }

  @Test
  void pastTwentyEvenTheRaisedQuotaFailsSynthesis() {
    Fleet fleet = new Fleet(new App(AppProps.builder().context(Map.of(QUOTA, "20")).build()));
    for (int i = 1; i <= 20; i++) {
      fleet.targets(fleet.stack("Team" + i), 1);
    }

    assertThatThrownBy(fleet.app::synth)
        .hasMessageContaining("21 managed policies")
        .hasMessageContaining("at most 20")
        .hasMessageContaining("a prefix of its own");
  }

  @Test
  void aQuotaIamDoesNotOfferIsRefused() {
    Fleet fleet = new Fleet(new App(AppProps.builder().context(Map.of(QUOTA, 25)).build()));
    fleet.targets(fleet.platform, 1);

    assertThatThrownBy(fleet.app::synth).hasMessageContaining(QUOTA + " must be between 10 and 20");
  }

  /**
   * The review's probe: a name given by a token (an imported value, a stack parameter) is whatever
   * that token holds at deploy, up to its type's maximum (80 characters for a queue, 255 for a
   * cluster or a service), not a name CloudFormation generates from the stack's name and the
   * logical ID. Counted as generated, 60 queues named by Fn.importValue filled one policy with 92
   * resources: 8,148 characters with 80-character names, a policy IAM refuses at deploy.
   */
  @Test
  void namesGivenByTokensCountAtTheirTypesLongestAndEveryPolicyStillFits() throws Exception {
    Fleet fleet = new Fleet(new App());
    Stack stack = fleet.stack("S");
    IVpc vpc =
        Vpc.fromVpcAttributes(
            stack,
            "Vpc",
            VpcAttributes.builder()
                .vpcId("vpc-0123456789abcdef0")
                .availabilityZones(List.of(REGION + "a"))
                .privateSubnetIds(List.of("subnet-0123456789abcdef0"))
                .build());
    ICluster prod =
        Cluster.fromClusterAttributes(
            stack, "Prod", ClusterAttributes.builder().clusterName("prod").vpc(vpc).build());
    for (int i = 1; i <= 60; i++) {
      String name = String.format("orders-%03d", i);
      QueueDepthScaler.Builder.create(stack, name)
          .targetName(name)
          .queue(
              Queue.Builder.create(stack, name + "Queue")
                  .queueName(Fn.importValue(name + "-queue-name"))
                  .build())
          .service(
              FargateService.fromFargateServiceArn(
                  stack,
                  name + "Service",
                  "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/prod/" + name))
          .cluster(prod)
          .runtime(fleet.runtime)
          .build();
    }
    // The app's own cluster and services, named by a parameter and by imported values.
    Cluster apps =
        Cluster.Builder.create(stack, "Apps")
            .vpc(vpc)
            .clusterName(
                CfnParameter.Builder.create(stack, "ClusterName").build().getValueAsString())
            .build();
    for (int i = 1; i <= 12; i++) {
      String name = String.format("billing-%03d", i);
      FargateTaskDefinition task =
          FargateTaskDefinition.Builder.create(stack, name + "Task").build();
      task.addContainer(
          "app",
          ContainerDefinitionOptions.builder()
              .image(ContainerImage.fromRegistry("public/app:1"))
              .build());
      QueueDepthScaler.Builder.create(stack, name)
          .targetName(name)
          .queue(Queue.Builder.create(stack, name + "Queue").build())
          .service(
              FargateService.Builder.create(stack, name + "Service")
                  .cluster(apps)
                  .taskDefinition(task)
                  .serviceName(Fn.importValue(name + "-service-name"))
                  .build())
          .runtime(fleet.runtime)
          .build();
    }
    fleet.app.synth();

    Template template = Template.fromStack(stack);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources =
        (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
    int policies = 0;
    List<String> granted = new ArrayList<>();
    for (Map<String, Object> policy : template.findResources("AWS::IAM::ManagedPolicy").values()) {
      Map<?, ?> props = (Map<?, ?>) policy.get("Properties");
      Object document = atLongest(props.get("PolicyDocument"), resources);
      int chars = JSON.writeValueAsString(document).length();
      System.out.println("Token-named targets, a policy at its longest: " + chars + " characters");
      assertThat(chars).as("a managed policy, every token name at its longest").isLessThan(6_144);
      policies++;
      for (Object statement : (List<?>) ((Map<?, ?>) document).get("Statement")) {
        Object resource = ((Map<?, ?>) statement).get("Resource");
        for (Object arn : resource instanceof List<?> list ? list : List.of(resource)) {
          granted.add(arn.toString());
        }
      }
    }
    assertThat(granted).as("every target's service and queue").hasSize(2 * 72);
    assertThat(policies).as("attachments, with the role's own").isLessThanOrEqualTo(9);
  }

  /**
   * A document as IAM sees it with every name at its longest: a service's or a queue's name given
   * by a token as its type's maximum, a name CloudFormation generates as {@code S-<logical ID>-<13
   * characters>}, a literal name as itself.
   */
  private static Object atLongest(Object value, Map<String, Map<String, Object>> resources) {
    if (value instanceof Map<?, ?> map && map.size() == 1) {
      Object ref = map.get("Ref");
      if (ref instanceof String id && resources.get(id) != null) {
        Map<?, ?> resource = resources.get(id);
        Map<?, ?> props = (Map<?, ?>) resource.get("Properties");
        if ("AWS::ECS::Service".equals(resource.get("Type"))) {
          Object cluster = props.get("Cluster");
          String clusterName =
              cluster instanceof Map<?, ?> c && c.get("Ref") instanceof String clusterId
                  ? longestName(
                      clusterId,
                      ((Map<?, ?>) resources.get(clusterId).get("Properties")).get("ClusterName"),
                      255)
                  : cluster.toString();
          return "arn:aws:ecs:"
              + REGION
              + ":"
              + ACCOUNT
              + ":service/"
              + clusterName
              + "/"
              + longestName(id, props.get("ServiceName"), 255);
        }
      }
      if (map.get("Fn::GetAtt") instanceof List<?> getAtt
          && resources.get(getAtt.get(0).toString()) != null
          && "AWS::SQS::Queue".equals(resources.get(getAtt.get(0).toString()).get("Type"))
          && "Arn".equals(getAtt.get(1))) {
        Map<?, ?> props = (Map<?, ?>) resources.get(getAtt.get(0).toString()).get("Properties");
        return "arn:aws:sqs:"
            + REGION
            + ":"
            + ACCOUNT
            + ":"
            + longestName(
                getAtt.get(0).toString(), props == null ? null : props.get("QueueName"), 80);
      }
    }
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.containsKey("Fn::Join")) {
        return resolve(value);
      }
      if (map.size() == 1
          && (map.containsKey("Fn::GetAtt")
              || map.get("Ref") instanceof String ref && !ref.startsWith("AWS::"))) {
        throw new AssertionError("a reference the probe cannot size at its longest: " + map);
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, atLongest(v, resources)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> atLongest(v, resources)).toList();
    }
    return resolve(value);
  }

  private static String longestName(String logicalId, Object name, int max) {
    if (name == null) {
      String generated = "S-" + logicalId + "-" + "x".repeat(13);
      return generated.substring(0, Math.min(max, generated.length()));
    }
    return name instanceof String literal ? literal : "x".repeat(max);
  }

  /** A shared scaler in {@code Platform} and target stacks, all in one account and region. */
  private static final class Fleet {
    final App app;
    final Stack platform;
    final ScalerRuntime runtime;
    final List<Stack> stacks = new ArrayList<>();
    int next = 1;

    Fleet(App app) {
      this.app = app;
      platform = stack("Platform");
      runtime = ScalerRuntime.forPrefix(platform, "/platform");
    }

    Stack stack(String id) {
      Stack stack =
          new Stack(
              app,
              id,
              StackProps.builder()
                  .env(Environment.builder().account(ACCOUNT).region(REGION).build())
                  .build());
      stacks.add(stack);
      return stack;
    }

    void targets(Stack stack, int count) {
      IVpc vpc =
          Vpc.fromVpcAttributes(
              stack,
              "Vpc",
              VpcAttributes.builder()
                  .vpcId("vpc-0123456789abcdef0")
                  .availabilityZones(List.of(REGION + "a"))
                  .build());
      ICluster prod =
          Cluster.fromClusterAttributes(
              stack, "Prod", ClusterAttributes.builder().clusterName("prod").vpc(vpc).build());
      for (int i = 0; i < count; i++) {
        String name = String.format("orders-%03d", next++);
        QueueDepthScaler.Builder.create(stack, name)
            .targetName(name)
            .queue(
                Queue.fromQueueArn(
                    stack, name + "Queue", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name))
            .service(
                FargateService.fromFargateServiceArn(
                    stack,
                    name + "Service",
                    "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":service/prod/" + name))
            .cluster(prod)
            .runtime(runtime)
            .build();
      }
    }

    /** The scaler role's policies across every stack, as IAM counts them. */
    Measured measure() throws Exception {
      Measured measured = new Measured();
      for (Stack stack : stacks) {
        Template template = Template.fromStack(stack);
        for (Map<String, Object> policy :
            template.findResources("AWS::IAM::ManagedPolicy").values()) {
          Map<?, ?> props = (Map<?, ?>) policy.get("Properties");
          if (!props.get("Roles").toString().contains("FunctionServiceRole")) {
            continue;
          }
          Object document = resolve(props.get("PolicyDocument"));
          measured.managedPolicies++;
          measured.largestManaged =
              Math.max(measured.largestManaged, JSON.writeValueAsString(document).length());
          for (Object statement : (List<?>) ((Map<?, ?>) document).get("Statement")) {
            Object resource = ((Map<?, ?>) statement).get("Resource");
            for (Object arn : resource instanceof List<?> list ? list : List.of(resource)) {
              assertThat(measured.granted).as("granted once").doesNotContain(arn.toString());
              measured.granted.add(arn.toString());
            }
          }
        }
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
          Map<?, ?> props = (Map<?, ?>) policy.get("Properties");
          if (props.get("Roles").toString().contains("FunctionServiceRole")) {
            measured.inlinePolicies++;
            measured.inline +=
                JSON.writeValueAsString(resolve(props.get("PolicyDocument"))).length();
          }
        }
        for (Map<String, Object> role : template.findResources("AWS::IAM::Role").values()) {
          Map<?, ?> props = (Map<?, ?>) role.get("Properties");
          if (stack == platform
              && props.get("AssumeRolePolicyDocument").toString().contains("lambda")
              && props.get("ManagedPolicyArns") instanceof List<?> arns) {
            measured.managedPolicies += arns.size();
          }
        }
      }
      return measured;
    }
  }

  private static final class Measured {
    int managedPolicies;
    int largestManaged;
    int inlinePolicies;
    int inline;
    final List<String> granted = new ArrayList<>();

    @Override
    public String toString() {
      return managedPolicies
          + " managed policies attached (largest "
          + largestManaged
          + " characters), "
          + inlinePolicies
          + " inline ("
          + inline
          + " characters, references to the runtime's resources as 90 characters), "
          + granted.size()
          + " resources granted";
    }
  }

  /**
   * IAM's view of a document: pseudo parameters as this account's and region's values, joins
   * joined, and a reference to a resource (the runtime's own table and queues in its inline policy)
   * as 90 characters, longer than the names CloudFormation gives them here.
   */
  private static Object resolve(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1 && map.containsKey("Ref")) {
        return switch (map.get("Ref").toString()) {
          case "AWS::Partition" -> "aws";
          case "AWS::Region" -> REGION;
          case "AWS::AccountId" -> ACCOUNT;
          case "AWS::URLSuffix" -> "amazonaws.com";
          default -> "x".repeat(90);
        };
      }
      if (map.size() == 1 && map.containsKey("Fn::Join")) {
        List<?> join = (List<?>) map.get("Fn::Join");
        StringBuilder joined = new StringBuilder();
        List<?> parts = (List<?>) join.get(1);
        for (int i = 0; i < parts.size(); i++) {
          joined.append(i == 0 ? "" : join.get(0)).append(resolve(parts.get(i)));
        }
        return joined.toString();
      }
      if (map.size() == 1
          && (map.containsKey("Fn::GetAtt") || map.containsKey("Fn::ImportValue"))) {
        return "x".repeat(90);
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, resolve(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ScalerRoleCapacityTest::resolve).toList();
    }
    return value;
  }
}
