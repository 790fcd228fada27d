package dev.queuescaler.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The project's version for {@code --version}, from the Maven project version through a filtered
 * resource. The scaler, the simulator and the local run print the same one through the scaler's
 * {@code ProjectVersion}; the generator does not depend on the scaler, so it reads its own copy.
 */
final class GeneratorVersion implements CommandLine.IVersionProvider {

  static String get() {
    Properties properties = new Properties();
    try (InputStream in = GeneratorVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the build");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("version", "");
    if (version.isBlank() || version.contains("${")) {
      throw new IllegalStateException("version.properties was not filled in by the build");
    }
    return version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"${COMMAND-FULL-NAME} " + get()};
  }
}
