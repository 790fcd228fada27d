package dev.queuescaler.scaler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The project's version, as {@code --version} prints it in every command-line front end (the
 * scaler, the simulator, the local run). It comes from the Maven project version through a filtered
 * resource, so that it is the same from the jar and from the classes directory the tests run on.
 */
public final class ProjectVersion implements CommandLine.IVersionProvider {

  static final String RESOURCE = "version.properties";

  /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    Properties properties = new Properties();
    try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("version", "");
    if (version.isBlank() || version.contains("${")) {
      throw new IllegalStateException(RESOURCE + " was not filled in by the build: " + version);
    }
    return version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"${COMMAND-FULL-NAME} " + get()};
  }
}
