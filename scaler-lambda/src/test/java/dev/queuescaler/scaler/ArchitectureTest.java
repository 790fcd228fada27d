package dev.queuescaler.scaler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering of DESIGN.md as a fact: the policy is pure Java, the cycle knows no SDK. */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.queuescaler.scaler");

  @Test
  void theRulesSeeTheWholeScaler() {
    // Guards the rules below against passing on an import that found nothing.
    assertThat(MAIN.containPackage("dev.queuescaler.scaler.policy")).isTrue();
    assertThat(MAIN.containPackage("dev.queuescaler.scaler.aws")).isTrue();
    assertThat(MAIN.stream().count()).isGreaterThan(50);
  }

  @Test
  void policyUsesNothingButTheJdkAndItself() {
    classes()
        .that()
        .resideInAPackage("..scaler.policy..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("..scaler.policy..", "java..")
        .check(MAIN);
  }

  @Test
  void cycleAndConfigKnowNoAwsSdkNorXRay() {
    noClasses()
        .that()
        .resideInAnyPackage("..scaler.cycle..", "..scaler.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon..", "com.amazonaws..")
        .check(MAIN);
  }

  @Test
  void onlyTheTracingEdgeAndTheCompositionRootKnowOpenTelemetry() {
    noClasses()
        .that()
        .resideOutsideOfPackages("..scaler.tracing..", "..scaler.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.opentelemetry..", "dev.queuescaler.telemetry..")
        .check(MAIN);
  }

  @Test
  void nothingBelowTheEntryPointsReachesUp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..scaler.policy..",
            "..scaler.config..",
            "..scaler.cycle..",
            "..scaler.aws..",
            "..scaler.report..",
            "..scaler.tracing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..scaler.app..", "..scaler.lambda..", "..scaler.cli..")
        .check(MAIN);
  }
}
