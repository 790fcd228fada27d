package dev.queuescaler.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The scaler function's code: the shaded scaler jar, built into this artifact as a resource, so an
 * app that depends on the installed infra artifact finds it without this repository. At synthesis
 * it is written once to a file named by its content hash (CDK's asset needs a file; the name keeps
 * one version from overwriting another's while an app synthesizes).
 */
final class ScalerCode {

  /** Where the build puts the jar (infra's pom copies it from scaler-lambda's target). */
  static final String RESOURCE = "/dev/queuescaler/infra/scaler-lambda.jar";

  private static Path extracted;

  private ScalerCode() {}

  /** The jar as a file, written on first use. */
  static synchronized Path jar() {
    if (extracted == null || !Files.isRegularFile(extracted)) {
      extracted = extract();
    }
    return extracted;
  }

  private static Path extract() {
    try (InputStream in = ScalerCode.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the scaler's jar ("
                + RESOURCE
                + ") is not in this build of the infra artifact: build it with ./mvnw package,"
                + " which builds scaler-lambda first");
      }
      Path directory = Path.of(System.getProperty("java.io.tmpdir"), "queue-depth-scaler");
      Files.createDirectories(directory);
      Path partial = Files.createTempFile(directory, "scaler-lambda-", ".partial");
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
        in.transferTo(out);
      }
      String hash = HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
      Path jar = directory.resolve("scaler-lambda-" + hash + ".jar");
      if (Files.isRegularFile(jar)) {
        Files.delete(partial);
      } else {
        try {
          Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the scaler's jar for synthesis", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
