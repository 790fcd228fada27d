package dev.queuescaler.scaler.cli;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The region the CLI's clients use: {@code --region}, else {@code AWS_REGION}, else what the SDK
 * finds in the AWS config file or the instance metadata. Chosen before any client is built, so that
 * a missing region is a settings error with its remedy (exit 2), not the SDK's stack trace.
 */
final class RegionChoice {

  /**
   * The shape of every AWS region name: us-east-1, eu-central-2, us-gov-west-1, cn-north-1,
   * eusc-de-east-1 (the European Sovereign Cloud's partition has a four-letter prefix).
   */
  private static final Pattern NAME = Pattern.compile("[a-z]{2,}(-[a-z]+)+-\\d+");

  /** What the SDK finds beyond the environment: the AWS config file, the instance metadata. */
  interface Elsewhere extends Supplier<Optional<Region>> {

    /** The SDK's own region chain. */
    static Elsewhere sdkChain() {
      return () -> {
        try {
          return Optional.of(new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkClientException none) {
          return Optional.empty();
        }
      };
    }
  }

  private RegionChoice() {}

  /**
   * The region, or a message that names how to give one.
   *
   * @param option {@code --region}, when given
   * @throws IllegalArgumentException when {@code --region} or {@code AWS_REGION} is not a region
   *     name (the SDK would fail on it with a stack trace at its first call), or no region is found
   *     anywhere
   */
  static Region choose(
      Optional<String> option, Map<String, String> environment, Elsewhere elsewhere) {
    if (option.isPresent()) {
      String name = option.get().strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "--region \"" + option.get() + "\" is not an AWS region name such as eu-west-1");
      }
      return Region.of(name);
    }
    String fromEnvironment = environment.getOrDefault("AWS_REGION", "").strip();
    if (!fromEnvironment.isEmpty()) {
      if (!NAME.matcher(fromEnvironment).matches()) {
        throw new IllegalArgumentException(
            "AWS_REGION \""
                + environment.get("AWS_REGION")
                + "\" is not an AWS region name such as eu-west-1");
      }
      return Region.of(fromEnvironment);
    }
    return elsewhere
        .get()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1) or pass --region"));
  }
}
