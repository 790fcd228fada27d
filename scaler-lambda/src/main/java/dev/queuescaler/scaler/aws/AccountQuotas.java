package dev.queuescaler.scaler.aws;

/**
 * AWS's default per-account, per-region quotas that a fleet's cycle comes near, and the scaler's
 * pacers at a share of each ({@link #DEFAULT_SHARE_PERCENT}, half: the account has other users).
 * Each call builds a new bucket: build them once, in the composition root.
 *
 * <ul>
 *   <li>Parameter Store: GetParameter, GetParameters and GetParametersByPath share 40 transactions
 *       per second (higher throughput is a paid setting).
 *   <li>ECS: DescribeServices 100 burst, 20 per second; UpdateService 50 burst, 5 per second.
 * </ul>
 *
 * SQS's GetQueueAttributes and DynamoDB on demand have no such per-account rate near a thousand
 * targets a minute, and EventBridge's PutEvents allows hundreds to 10,000 a second by region (about
 * 70 a second at most here), so they are not paced.
 */
public final class AccountQuotas {

  /** The scaler's share of each quota unless its settings say otherwise. */
  public static final int DEFAULT_SHARE_PERCENT = 50;

  private AccountQuotas() {}

  public static Pacer parameterReads(int sharePercent) {
    return Pacer.shareOf(40, 40, sharePercent);
  }

  public static Pacer describeServices(int sharePercent) {
    return Pacer.shareOf(100, 20, sharePercent);
  }

  public static Pacer updateService(int sharePercent) {
    return Pacer.shareOf(50, 5, sharePercent);
  }

  /** A share is a whole percentage from 1 to 100. */
  public static int requireShare(int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException(
          "a quota share is a percentage from 1 to 100 but was " + percent);
    }
    return percent;
  }
}
