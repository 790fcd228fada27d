package dev.queuescaler.scaler.cli;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Whether the SDK's default credential chain, the one the scaler's clients use, finds credentials.
 * Asked before any client is built, so that a machine without credentials gets a settings error
 * with its remedy (exit 2), not the SDK's two-kilobyte list of providers in a failed cycle (exit
 * 1).
 */
@FunctionalInterface
interface CredentialChain {

  /** What to do when {@link #finds()} is false; one line. */
  String NONE_FOUND =
      "no AWS credentials: the SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
          + " AWS_PROFILE and ~/.aws, SSO, web identity, container or instance role) found none;"
          + " e.g. export AWS_PROFILE=NAME after aws configure or aws sso login";

  boolean finds();

  /** The SDK's own default chain. */
  static CredentialChain sdkDefault() {
    return () -> {
      try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
        chain.resolveCredentials();
        return true;
      } catch (SdkClientException none) {
        return false;
      }
    };
  }
}
