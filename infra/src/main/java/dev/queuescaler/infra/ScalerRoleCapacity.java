package dev.queuescaler.infra;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.constructs.Node;

/**
 * What IAM lets the scaler's one role hold, and how long a grant is once CloudFormation has
 * resolved it. IAM's quotas (IAM and AWS STS quotas, IAM User Guide):
 *
 * <ul>
 *   <li>a role's inline policies: 10,240 characters in total, all of them together;
 *   <li>a managed policy: 6,144 characters;
 *   <li>managed policies attached to a role: 10 by default, a quota that can be raised to 20;
 *   <li>whitespace is not counted.
 * </ul>
 *
 * So the targets' grants go into customer managed policies, never the role's inline ones (those
 * keep the runtime's own statements alone), each policy filled up to {@link #MANAGED_POLICY_CHARS}
 * by its stack's targets, and the runtime counts the attachments across stacks at synthesis.
 *
 * <p>Sizes are upper bounds of what IAM counts: a literal ARN is its length; a pseudo parameter is
 * the stack's value when the stack names its region (partition from the region), otherwise the
 * longest of any region the CDK knows; a name CloudFormation generates (a service, cluster or queue
 * of the app given no name at all) is bounded by how CloudFormation forms it, {@code <stack
 * name>-<logical ID>-<random suffix of 12 or 13 characters>}, counted as the stack name and the
 * logical ID plus {@value #GENERATED_NAME_EXTRA} characters, and never more than the type's
 * documented maximum; a name given by a token (an imported value, a stack parameter, an SSM value,
 * a join with one of them) counts as the type's maximum, {@value #SQS_NAME_MAX} for a queue and
 * {@value #ECS_NAME_MAX} for a cluster or service, unless it resolves to literal text and pseudo
 * parameters alone; any other token (an imported ARN) counts as the longest ARN of its kind.
 */
final class ScalerRoleCapacity {

  /** IAM: a role's inline policies, all together. */
  static final int INLINE_CHARS_PER_ROLE = 10_240;

  /** IAM: one managed policy. */
  static final int MANAGED_POLICY_CHARS = 6_144;

  /** IAM: managed policies attached to a role, by default. */
  static final int MANAGED_POLICIES_PER_ROLE = 10;

  /** IAM: managed policies attached to a role, the quota at its highest. */
  static final int MANAGED_POLICIES_PER_ROLE_RAISED = 20;

  /** The context key that tells the construct the account's quota (10 to 20; default 10). */
  static final String QUOTA_CONTEXT_KEY = "queueScaler:managedPoliciesPerRole";

  /**
   * A target grant's document without its resources: the two statements, resources as lists. Each
   * resource then adds its length and three characters (its quotes and a comma).
   */
  static final String EMPTY_GRANT =
      "{\"Statement\":[{\"Action\":[\"ecs:DescribeServices\",\"ecs:UpdateService\"],"
          + "\"Effect\":\"Allow\",\"Resource\":[]},{\"Action\":\"sqs:GetQueueAttributes\","
          + "\"Effect\":\"Allow\",\"Resource\":[]}],\"Version\":\"2012-10-17\"}";

  /** Two hyphens and CloudFormation's random suffix, with room to spare. */
  static final int GENERATED_NAME_EXTRA = 20;

  /** ECS: a cluster's or a service's name. */
  static final int ECS_NAME_MAX = 255;

  /** SQS: a queue's name, {@code .fifo} included. */
  static final int SQS_NAME_MAX = 80;

  private static final int ACCOUNT = 12;

  private ScalerRoleCapacity() {}

  /** The account's quota of managed policies a role, from {@link #QUOTA_CONTEXT_KEY}. */
  static int managedPoliciesPerRole(Node node) {
    Object value = node.tryGetContext(QUOTA_CONTEXT_KEY);
    if (value == null) {
      return MANAGED_POLICIES_PER_ROLE;
    }
    int quota;
    try {
      quota = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().strip());
    } catch (NumberFormatException e) {
      quota = -1;
    }
    if (quota < MANAGED_POLICIES_PER_ROLE
        || quota > MANAGED_POLICIES_PER_ROLE_RAISED
        || (value instanceof Number n && n.doubleValue() != quota)) {
      throw new IllegalArgumentException(
          "context "
              + QUOTA_CONTEXT_KEY
              + " must be between 10 and 20 (IAM's quota of managed policies attached to a role,"
              + " 10 unless raised) but was "
              + value);
    }
    return quota;
  }

  /** At most how long an ECS service's ARN is: {@code arn:P:ecs:R:A:service/<cluster>/<name>}. */
  static int serviceArn(Stack stack, int clusterName, int serviceName) {
    return "arn:".length()
        + partition(stack)
        + ":ecs:".length()
        + region(stack)
        + 1
        + ACCOUNT
        + ":service/".length()
        + clusterName
        + 1
        + serviceName;
  }

  /** At most how long an SQS queue's ARN is: {@code arn:P:sqs:R:A:<name>}. */
  static int queueArn(Stack stack, int queueName) {
    return "arn:".length()
        + partition(stack)
        + ":sqs:".length()
        + region(stack)
        + 1
        + ACCOUNT
        + 1
        + queueName;
  }

  /**
   * At most how long {@code named} is once deployed in {@code stack}: its length when literal; when
   * null (no name given, so CloudFormation's to generate), {@code resource}'s generated name, at
   * most {@code max}; when a token (a name given by an imported value, a parameter, an SSM value),
   * {@code max}, unless it resolves to literal text and pseudo parameters alone. A token name is
   * never CloudFormation's: it holds whatever the value is at deploy, up to the type's maximum.
   */
  static int name(Stack stack, String named, CfnResource resource, int max) {
    if (named != null) {
      return Token.isUnresolved(named)
          ? Math.min(max, resolved(stack, named, max))
          : named.length();
    }
    if (resource == null) {
      return max;
    }
    stack = Stack.of(resource);
    Object logicalId = stack.resolve(resource.getLogicalId());
    if (Token.isUnresolved(stack.getStackName()) || !(logicalId instanceof String id)) {
      return max;
    }
    return Math.min(max, stack.getStackName().length() + id.length() + GENERATED_NAME_EXTRA);
  }

  /**
   * At most how long {@code value} is once CloudFormation resolves it in {@code stack}: literal
   * parts as they are, pseudo parameters as above, and {@code whole} when it holds any other token.
   */
  static int resolved(Stack stack, String value, int whole) {
    if (!Token.isUnresolved(value)) {
      return value.length();
    }
    return walk(stack, stack.resolve(value)).orElse(whole);
  }

  private static OptionalInt walk(Stack stack, Object value) {
    if (value instanceof String text) {
      return OptionalInt.of(text.length());
    }
    if (value instanceof Map<?, ?> map && map.size() == 1) {
      if (map.get("Ref") instanceof String ref) {
        return switch (ref) {
          case "AWS::Partition" -> OptionalInt.of(partition(stack));
          case "AWS::Region" -> OptionalInt.of(region(stack));
          case "AWS::AccountId" -> OptionalInt.of(ACCOUNT);
          case "AWS::URLSuffix" -> OptionalInt.of(urlSuffix(stack));
          default -> OptionalInt.empty();
        };
      }
      if (map.get("Fn::Join") instanceof List<?> join
          && join.size() == 2
          && join.get(0) instanceof String separator
          && join.get(1) instanceof List<?> parts) {
        int length = separator.length() * Math.max(0, parts.size() - 1);
        for (Object part : parts) {
          OptionalInt each = walk(stack, part);
          if (each.isEmpty()) {
            return each;
          }
          length += each.getAsInt();
        }
        return OptionalInt.of(length);
      }
    }
    return OptionalInt.empty();
  }

  private static RegionInfo known(Stack stack) {
    String region = stack.getRegion();
    return Token.isUnresolved(region) ? null : RegionInfo.get(region);
  }

  static int partition(Stack stack) {
    RegionInfo region = known(stack);
    if (region != null && region.getPartition() != null) {
      return region.getPartition().length();
    }
    return RegionInfo.getRegions().stream()
        .map(RegionInfo::getPartition)
        .filter(p -> p != null)
        .mapToInt(String::length)
        .max()
        .orElse("aws-us-gov".length());
  }

  static int region(Stack stack) {
    if (!Token.isUnresolved(stack.getRegion())) {
      return stack.getRegion().length();
    }
    return RegionInfo.getRegions().stream()
        .mapToInt(r -> r.getName().length())
        .max()
        .orElse("ap-southeast-7".length());
  }

  private static int urlSuffix(Stack stack) {
    RegionInfo region = known(stack);
    if (region != null && region.getDomainSuffix() != null) {
      return region.getDomainSuffix().length();
    }
    return RegionInfo.getRegions().stream()
        .map(RegionInfo::getDomainSuffix)
        .filter(s -> s != null)
        .mapToInt(String::length)
        .max()
        .orElse("amazonaws.com.cn".length());
  }
}
