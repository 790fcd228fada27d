package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A --config file that is not UTF-8 (a Latin-1 file from an old editor) is answered with "cannot be
 * read: Input length = 1", which names neither the cause nor the remedy.
 */
class ConfigEncodingTest {

  @TempDir Path dir;

  @Test
  void aConfigThatIsNotUtf8SaysSo() throws Exception {
    Path file = dir.resolve("latin1.properties");
    Files.write(
        file,
        new byte[] {
          'm', 'a', 'x', '-', 't', 'a', 's', 'k', 's', '=', '8', '\n', '#', ' ', (byte) 0xE9, '\n'
        });

    assertThatThrownBy(() -> PropertiesParameterSource.check(file, "--config"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("UTF-8");
  }
}
