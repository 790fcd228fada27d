package dev.queuescaler.scaler.aws;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The scaler's SDK clients, built once per container.
 *
 * <p>Region, credentials and endpoints are left to the SDK's default chains, so {@code AWS_REGION},
 * the container credentials (SnapStart-safe) and {@code AWS_ENDPOINT_URL} / {@code
 * AWS_ENDPOINT_URL_<SERVICE>} all work as documented by AWS. Timeouts are explicit because the SDK
 * sets none by default; retries use the standard mode (throttling and 5xx, with backoff).
 */
public final class AwsClients implements AutoCloseable {

  /** One HTTP attempt: connect plus a response. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

  /** One API call, retries included. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** The longest a paced call waits for its slot before it starts ({@link Pacer}). */
  public static final Duration PACED_WAIT = ATTEMPT_TIMEOUT;

  /**
   * The worst one port call can take: its paced wait, then every attempt up to the call timeout.
   * The cycle's deadline budgets this much per call (not one attempt's timeout), so that an
   * UpdateService starts only when it can finish before the Lambda is killed.
   */
  public static final Duration WORST_CALL = PACED_WAIT.plus(CALL_TIMEOUT);

  private final SdkHttpClient http;
  private final SqsClient sqs;
  private final EcsClient ecs;
  private final SsmClient ssm;
  private final DynamoDbClient dynamoDb;
  private final EventBridgeClient eventBridge;

  private AwsClients(Optional<Region> region, List<ExecutionInterceptor> interceptors) {
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(ATTEMPT_TIMEOUT)
            .build();
    ClientOverrideConfiguration overrides = overrides(interceptors);
    this.sqs = build(SqsClient.builder(), region, overrides);
    this.ecs = build(EcsClient.builder(), region, overrides);
    this.ssm = build(SsmClient.builder(), region, overrides);
    this.dynamoDb = build(DynamoDbClient.builder(), region, overrides);
    this.eventBridge = build(EventBridgeClient.builder(), region, overrides);
  }

  private <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(
      B builder, Optional<Region> region, ClientOverrideConfiguration overrides) {
    region.ifPresent(builder::region);
    return builder.httpClient(http).overrideConfiguration(overrides).build();
  }

  /**
   * Builds every client from the SDK's standard settings.
   *
   * @param interceptors added to every client, e.g. the X-Ray tracing interceptor
   */
  public static AwsClients fromStandardSettings(List<ExecutionInterceptor> interceptors) {
    return new AwsClients(Optional.empty(), interceptors);
  }

  /**
   * As {@link #fromStandardSettings(List)}, in the region given (the CLI's {@code --region})
   * instead of the SDK's region chain's.
   */
  public static AwsClients inRegion(Region region, List<ExecutionInterceptor> interceptors) {
    return new AwsClients(Optional.of(region), interceptors);
  }

  /** The override configuration every scaler client uses; public so tests build alike. */
  public static ClientOverrideConfiguration overrides(List<ExecutionInterceptor> interceptors) {
    ClientOverrideConfiguration.Builder builder =
        ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
            .apiCallTimeout(CALL_TIMEOUT)
            .retryStrategy(RetryMode.STANDARD);
    interceptors.forEach(builder::addExecutionInterceptor);
    return builder.build();
  }

  public SqsClient sqs() {
    return sqs;
  }

  public EcsClient ecs() {
    return ecs;
  }

  public SsmClient ssm() {
    return ssm;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public EventBridgeClient eventBridge() {
    return eventBridge;
  }

  @Override
  public void close() {
    sqs.close();
    ecs.close();
    ssm.close();
    dynamoDb.close();
    eventBridge.close();
    http.close();
  }
}
