package dev.queuescaler.scaler.cycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queuescaler.scaler.testing.LocalAws;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * What the cycle's scenario classes share: one set of local servers per class, and for each test a
 * fresh SSM prefix and queue named after it, with no decision state left by another test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CycleScenarios {

  static final ObjectMapper JSON = new ObjectMapper();

  LocalAws aws;
  String prefix;
  String queueUrl;

  /** The servers this class runs against: moto or the HTTP fakes. */
  abstract LocalAws servers();

  @BeforeAll
  void startServers() {
    aws = servers();
  }

  @AfterAll
  void stopServers() {
    aws.close();
  }

  @BeforeEach
  void freshTarget(TestInfo test) {
    String name = test.getTestMethod().orElseThrow().getName();
    prefix = "/" + name;
    aws.clearState();
    queueUrl = aws.createQueue(name);
  }

  /** A target {@code name} on the test's queue, its service {@code name-svc} at {@code desired}. */
  void target(String name, int desired, Map<String, String> tunables) {
    aws.service(name + "-svc", desired);
    aws.putTarget(prefix, name, queueUrl, name + "-svc", tunables);
  }
}
