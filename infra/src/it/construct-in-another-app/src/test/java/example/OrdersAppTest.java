package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The app synthesized by its own main, as cdk synth runs it, and its cloud assembly read back. */
class OrdersAppTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path assembly;
  private static JsonNode template;

  @BeforeAll
  static void synthesize() throws Exception {
    assembly = Path.of(System.getenv("CDK_OUTDIR"));
    OrdersApp.main(new String[0]);
    template = JSON.readTree(assembly.resolve("Orders.template.json").toFile());
  }

  /**
   * What the CDK CLI reads to fail a synth: the stack's metadata entries of type aws:cdk:error, in
   * the manifest or in the file it names (additionalMetadataFile). cdk-nag writes its findings
   * there.
   */
  @Test
  void cdkNagReportsNoError() throws Exception {
    JsonNode stack = JSON.readTree(assembly.resolve("manifest.json").toFile()).at("/artifacts/Orders");
    assertEquals("aws:cloudformation:stack", stack.path("type").asText());
    List<JsonNode> metadata = new ArrayList<>(List.of(stack.path("metadata")));
    if (stack.has("additionalMetadataFile")) {
      metadata.add(
          JSON.readTree(assembly.resolve(stack.path("additionalMetadataFile").asText()).toFile()));
    }
    List<String> errors = new ArrayList<>();
    int entries = 0;
    for (JsonNode byPath : metadata) {
      for (Iterator<Map.Entry<String, JsonNode>> it = byPath.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        for (JsonNode entry : path.getValue()) {
          entries++;
          if (entry.path("type").asText().equals("aws:cdk:error")) {
            errors.add(path.getKey() + ": " + entry.path("data").asText());
          }
        }
      }
    }
    assertTrue(entries > 0, "the stack's metadata was found");
    assertEquals(List.of(), errors);
    // cdk-nag ran: its report lists the scaler's function, compliant or suppressed.
    String report = Files.readString(assembly.resolve("AwsSolutions-Orders-NagReport.csv"));
    assertTrue(report.contains("Orders/QueueDepthScalerRuntime/Function"), report);
  }

  @Test
  void theTargetsRequiredKeysAndTheTunablesSetAreItsParameters() {
    Set<String> names = new TreeSet<>();
    template
        .path("Resources")
        .forEach(
            resource -> {
              if (resource.path("Type").asText().equals("AWS::SSM::Parameter")) {
                names.add(resource.at("/Properties/Name").asText());
              }
            });
    assertEquals(
        new TreeSet<>(
            Set.of(
                "/queue-scaler/orders/queue-url",
                "/queue-scaler/orders/cluster",
                "/queue-scaler/orders/service",
                "/queue-scaler/orders/max-tasks",
                "/queue-scaler/orders/backlog-per-task")),
        names);
  }

  @Test
  void theScalerFunctionsCodeIsTheShadedScalerJar() throws Exception {
    JsonNode function = null;
    for (JsonNode resource : template.path("Resources")) {
      if (resource.path("Type").asText().equals("AWS::Lambda::Function")
          && resource.at("/Properties/Handler").asText().startsWith("dev.queuescaler.scaler.")) {
        function = resource;
      }
    }
    assertNotNull(function, "the scaler function");
    assertEquals(
        "/queue-scaler",
        function.at("/Properties/Environment/Variables/SCALER_PARAMETER_PATH").asText());
    // The function's code is a file asset: a jar staged in the assembly and listed for upload.
    String bucketKey = function.at("/Properties/Code/S3Key").asText();
    JsonNode assets = JSON.readTree(assembly.resolve("Orders.assets.json").toFile());
    JsonNode staged = assets.path("files").path(bucketKey.replaceFirst("\\.jar$", ""));
    File code = assembly.resolve(staged.at("/source/path").asText()).toFile();
    assertTrue(code.isFile(), "the staged asset " + code + " for " + bucketKey);
    try (ZipFile jar = new JarFile(code)) {
      assertNotNull(jar.getEntry("dev/queuescaler/scaler/lambda/ScalerHandler.class"));
      assertNotNull(jar.getEntry("software/amazon/awssdk/services/ecs/EcsClient.class"));
    }
    assertTrue(Files.size(code.toPath()) > 1_000_000, "shaded, with its dependencies");
  }
}
