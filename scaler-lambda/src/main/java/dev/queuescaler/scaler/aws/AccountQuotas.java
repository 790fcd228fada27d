package dev.queuescaler.scaler.aws;

/**
 * AWS's default per-account, per-region quotas that a fleet's cycle comes near, and the scaler's
 * pacers at half of each (the account has other users). Each call builds a new bucket: build them
 * once, in the composition root.
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

  private AccountQuotas() {}

  public static Pacer parameterReads() {
    return Pacer.halfOf(40, 40);
  }

  public static Pacer describeServices() {
    return Pacer.halfOf(100, 20);
  }

  public static Pacer updateService() {
    return Pacer.halfOf(50, 5);
  }
}
