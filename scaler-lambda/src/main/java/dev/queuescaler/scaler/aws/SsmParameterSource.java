package dev.queuescaler.scaler.aws;

import dev.queuescaler.scaler.config.TargetName;
import dev.queuescaler.scaler.cycle.ParameterPages;
import dev.queuescaler.scaler.cycle.ParameterSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.InvalidNextTokenException;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Reads the parameters under the prefix with GetParametersByPath, recursively, ten per page (SSM's
 * maximum): every page, following {@code nextToken} (pages may be short before the last one), or
 * one page at a time for a walk that goes on in a later invocation.
 */
public final class SsmParameterSource implements ParameterSource, ParameterPages {

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

  /** One page of the prefix; a token SSM no longer accepts is {@link CursorExpired}. */
  @Override
  public Page page(Optional<String> from) {
    String path = prefix + "/";
    Map<String, String> parameters = new LinkedHashMap<>();
    GetParametersByPathResponse page;
    try {
      page = page(path, from.orElse(null), parameters);
    } catch (InvalidNextTokenException e) {
      throw new CursorExpired(new AwsFailure("GetParametersByPath", path, e).getMessage(), e);
    } catch (SdkException e) {
      throw new AwsFailure("GetParametersByPath", path, e);
    }
    return new Page(parameters, Optional.ofNullable(page.nextToken()).filter(t -> !t.isEmpty()));
  }

  /** Every parameter under {@code path}, named relative to the prefix. */
  private Map<String, String> readPath(String path) {
    Map<String, String> parameters = new LinkedHashMap<>();
    try {
      // Pages may be short: follow nextToken to the end, each page paced.
      String nextToken = null;
      do {
        nextToken = page(path, nextToken, parameters).nextToken();
      } while (nextToken != null && !nextToken.isEmpty());
    } catch (SdkException e) {
      throw new AwsFailure("GetParametersByPath", path, e);
    }
    return parameters;
  }

  /** Reads one page (paced) into {@code parameters}. */
  private GetParametersByPathResponse page(
      String path, String token, Map<String, String> parameters) {
    reads.acquire();
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
    return page;
  }

  @Override
  public String describe() {
    return prefix;
  }
}
