package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterAttributes;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * The scaler acts on a target as soon as its parameters exist (Parameter Store's change event
 * starts a cycle), so its grant on the target must exist first: a target's parameters wait for
 * their stack's grant policies, and in the runtime's own stack the function waits for them too,
 * since nothing else there refers to them. The runtime's stack still refers to no target's stack.
 */
class ScalerGrantOrderTest {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "eu-west-1";

  @Test
  void parametersAndTheRuntimesFunctionWaitForTheirStacksGrantPolicies() {
    App app = new App();
    Stack platform = stack(app, "Platform");
    ScalerRuntime runtime = ScalerRuntime.forPrefix(platform, "/platform");
    targets(platform, runtime, "platform", 2);
    Stack team = stack(app, "Team");
    // More than one policy holds: the first targets' parameters wait for the later policies too.
    targets(team, runtime, "team", 60);
    app.synth();

    Template ofPlatform = Template.fromStack(platform);
    Set<String> platformPolicies = ofPlatform.findResources("AWS::IAM::ManagedPolicy").keySet();
    assertThat(platformPolicies).hasSize(1);
    assertThat(ofPlatform.findResources("AWS::SSM::Parameter").values())
        .isNotEmpty()
        .allSatisfy(parameter -> assertThat(dependsOn(parameter)).containsAll(platformPolicies));
    assertThat(
            ofPlatform
                .findResources(
                    "AWS::Lambda::Function",
                    Map.of("Properties", Map.of("Handler", ScalerRuntime.HANDLER)))
                .values())
        .hasSize(1)
        .allSatisfy(function -> assertThat(dependsOn(function)).containsAll(platformPolicies));

    Template ofTeam = Template.fromStack(team);
    Set<String> teamPolicies = ofTeam.findResources("AWS::IAM::ManagedPolicy").keySet();
    assertThat(teamPolicies).hasSizeGreaterThan(1);
    assertThat(ofTeam.findResources("AWS::SSM::Parameter").values())
        .isNotEmpty()
        .allSatisfy(parameter -> assertThat(dependsOn(parameter)).containsAll(teamPolicies));

    assertThat(platform.getDependencies())
        .as("the runtime's stack waits for no target's")
        .isEmpty();
    assertThat(team.getDependencies()).contains(platform);
  }

  private static List<Object> dependsOn(Map<String, Object> resource) {
    return resource.get("DependsOn") instanceof List<?> list ? List.copyOf(list) : List.of();
  }

  private static Stack stack(App app, String id) {
    return new Stack(
        app,
        id,
        StackProps.builder()
            .env(Environment.builder().account(ACCOUNT).region(REGION).build())
            .build());
  }

  private static void targets(Stack stack, ScalerRuntime runtime, String prefix, int count) {
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
    for (int i = 1; i <= count; i++) {
      String name = String.format("%s-orders-%03d", prefix, i);
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
}
