package dev.queuescaler.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.scaler.config.ParameterKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The scaler's jar inside the infra artifact is the scaler this build compiled against. */
class ScalerCodeTest {

  /**
   * The construct writes the SSM contract from scaler-lambda's classes ({@link ParameterKey}); the
   * function runs the embedded jar. A jar from an older build would read keys the template no
   * longer writes, so the two must be the same build of the scaler.
   */
  @Test
  void theEmbeddedJarHoldsTheSameScalerClassesAsTheClasspath() throws IOException {
    String entry = ParameterKey.class.getName().replace('.', '/') + ".class";
    byte[] compiledAgainst;
    try (InputStream in = ParameterKey.class.getClassLoader().getResourceAsStream(entry)) {
      compiledAgainst = in.readAllBytes();
    }

    try (ZipFile jar = new ZipFile(ScalerCode.jar().toFile())) {
      assertThat(jar.getEntry(entry)).as(entry + " in the embedded jar").isNotNull();
      try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
        assertThat(in.readAllBytes())
            .as("the embedded jar's " + entry + " is the one this build compiled against")
            .isEqualTo(compiledAgainst);
      }
    }
  }
}
