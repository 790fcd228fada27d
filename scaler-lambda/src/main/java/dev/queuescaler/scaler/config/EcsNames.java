package dev.queuescaler.scaler.config;

/** ECS clusters and services as the target's parameters give them: by name or by ARN. */
public final class EcsNames {

  private EcsNames() {}

  /**
   * The name in a name or an ARN ({@code arn:aws:ecs:...:cluster/workers}, {@code
   * arn:aws:ecs:...:service/workers/orders}, or the older {@code ...:service/orders}): the last
   * path segment in each.
   */
  public static String nameOf(String nameOrArn) {
    return nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
  }
}
