package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/** The CLI's answers that need no queue (GeneratorIT runs the jar against one). */
class GeneratorCliTest {

  record Run(int exit, String stdout, String stderr) {}

  private static Run generator(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        GeneratorCli.run(
            args,
            env,
            Optional::empty,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpGoesToStdoutAndExitsZero() {
    Run run = generator(Map.of(), "--help");

    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).startsWith("Usage: generator").contains("--queue-url");
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void versionPrintsThePomsVersionAndExitsZero() throws Exception {
    var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    String version = XPathFactory.newInstance().newXPath().evaluate("/project/parent/version", pom);

    Run run = generator(Map.of(), "--version");

    assertThat(run.exit()).isZero();
    assertThat(version).isNotBlank();
    assertThat(run.stdout().strip()).isEqualTo("generator " + version);
  }

  @Test
  void withoutARegionAnywhereItNamesAwsRegionAndExitsTwo() {
    Run run =
        generator(Map.of(), "--queue-url", "http://localhost:9324/000000000000/q", "--count", "1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.stderr())
        .isEqualTo(
            "generator: no AWS region: set AWS_REGION (e.g. AWS_REGION=eu-west-1)"
                + System.lineSeparator());
    assertThat(run.stdout()).isEmpty();
  }
}
