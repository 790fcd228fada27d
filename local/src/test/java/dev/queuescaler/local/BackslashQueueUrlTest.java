package dev.queuescaler.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/local.md: "A value with a backslash is taken as written, not as java.util.Properties would
 * read it (5\0 as 50), so the scaler rejects it like any other bad value". queue-url is a setting
 * the file may set (it wins over the local run's own queue): a colon escaped the properties way is
 * taken as written, backslash and all, and no queue URL holds a backslash.
 */
class BackslashQueueUrlTest {

  @TempDir Path dir;

  @Test
  void aQueueUrlWithABackslashIsRejectedBeforeTheRunLikeAnyOtherValueWithOne() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("scaler.properties"),
            "queue-url=http://localhost\\:9324/000000000000/local-work\nmax-tasks=5\n");

    assertThatThrownBy(() -> PropertiesParameterSource.check(config, "--config"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue-url");
  }
}
