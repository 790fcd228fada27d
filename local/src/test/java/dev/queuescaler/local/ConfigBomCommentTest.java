package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/local.md: a backslash outside a comment is refused, and "A UTF-8 byte order mark is
 * accepted". A file an editor saved with a byte order mark whose first line is a comment holding a
 * backslash (a Windows path) has no backslash outside a comment.
 */
class ConfigBomCommentTest {

  @TempDir Path dir;

  @Test
  void aCommentOnTheFirstLineOfAFileWithAByteOrderMarkMayHoldABackslash() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("bom.properties"),
            "\uFEFF# copied from C:\\work\\scaler.properties\nmax-tasks=5\n");

    assertThatCode(() -> PropertiesParameterSource.check(config, "--config"))
        .doesNotThrowAnyException();
  }
}
