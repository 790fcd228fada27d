package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterSource;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Reads every parameter under the prefix with GetParametersByPath, recursively, ten per page (SSM's
 * maximum), following every page: pages may be short before the last one.
 */
public final class SsmParameterSource implements ParameterSource {

  /** The prefix when {@code SCALER_PARAMETER_PATH} is not set. */
  public static final String DEFAULT_PREFIX = "/queue-scaler";

  private final SsmClient ssm;
  private final String prefix;
  private final Pacer reads;

  public SsmParameterSource(SsmClient ssm, String prefix) {
    this(ssm, prefix, Pacer.NONE);
  }

  /**
   * @param reads paces each page (Parameter Store's reads share one quota per account)
   */
  public SsmParameterSource(SsmClient ssm, String prefix, Pacer reads) {
    this.ssm = ssm;
    this.prefix = normalize(prefix);
    this.reads = reads;
  }

  /** {@code /queue-scaler/} and {@code queue-scaler} both mean {@code /queue-scaler}. */
  public static String normalize(String prefix) {
    String trimmed = prefix.trim();
    if (trimmed.isEmpty() || trimmed.equals("/")) {
      throw new IllegalArgumentException("SCALER_PARAMETER_PATH must name a path, not \"/\"");
    }
    String withSlash = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    return withSlash.endsWith("/") ? withSlash.substring(0, withSlash.length() - 1) : withSlash;
  }

  @Override
  public Map<String, String> readAll() {
    return readPath(prefix + "/");
  }

  /** Only the target's path: one page for a target's few keys. */
  @Override
  public Map<String, String> readTarget(TargetName target) {
    return readPath(prefix + "/" + target.value() + "/");
  }

  /** Every parameter under {@code path}, named relative to the prefix. */
  private Map<String, String> readPath(String path) {
    Map<String, String> parameters = new LinkedHashMap<>();
    try {
      // Pages may be short: follow nextToken to the end, each page paced.
      String nextToken = null;
      do {
        reads.acquire();
        String token = nextToken;
        GetParametersByPathResponse page =
            ssm.getParametersByPath(
                request ->
                    request
                        .path(path)
                        .recursive(true)
                        .withDecryption(true)
                        .maxResults(10)
                        .nextToken(token));
        for (Parameter parameter : page.parameters()) {
          String name = parameter.name();
          if (name.startsWith(prefix + "/")) {
            parameters.put(name.substring(prefix.length() + 1), parameter.value());
          }
        }
        nextToken = page.nextToken();
      } while (nextToken != null && !nextToken.isEmpty());
    } catch (SdkException e) {
      throw new AwsFailure("GetParametersByPath", path, e);
    }
    return parameters;
  }

  @Override
  public String describe() {
    return prefix;
  }
}
