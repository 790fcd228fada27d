package dev.queuescaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever an operator types into one key, the parser answers and names what it rejects. */
class ConfigurationParserProperties {

  /** Anything at all, and the near misses an operator types: numbers, signs, spaces, digits. */
  @Provide
  Arbitrary<String> typed() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withChars("0123456789+-.eE, _").ofMinLength(1).ofMaxLength(25),
        Arbitraries.strings()
            .withChars("01 \t\n\u00A0\u200B\u2011\uFEFF\u0661\uFF11x")
            .ofMaxLength(6),
        Arbitraries.bigIntegers()
            .between(
                new java.math.BigInteger("-99999999999999999999"),
                new java.math.BigInteger("99999999999999999999"))
            .map(Object::toString),
        Arbitraries.of(
            "true", "TRUE", "yes", "", " ", "backlog-per-task", "Backlog-And-Load", "0x10"));
  }

  private static ParsedTarget withOne(ParameterKey key, String value) {
    Map<String, String> values = new HashMap<>();
    values.put("queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs");
    values.put("cluster", "workers");
    values.put("service", "jobs-worker");
    values.put(key.key(), value);
    return ConfigurationParser.parseTarget(new TargetName("jobs"), values);
  }

  @Property
  void aRejectedValueIsNamedByItsKey(@ForAll ParameterKey key, @ForAll("typed") String value) {
    ParsedTarget target = withOne(key, value);

    if (!target.valid()) {
      assertThat(target.allProblems()).anySatisfy(p -> assertThat(p).startsWith(key.key()));
    }
  }

  /** The line an operator reads names the character at fault, never hides it. */
  @Property
  void everyProblemIsPrintableAscii(@ForAll ParameterKey key, @ForAll("typed") String value) {
    for (String problem : withOne(key, value).allProblems()) {
      assertThat(problem.chars().allMatch(c -> c >= ' ' && c <= '~')).as("%s", problem).isTrue();
    }
  }
}
