package dev.queuescaler.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queuescaler.message.InvalidMessageException;
import dev.queuescaler.message.WorkMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MessageBodiesTest {

  @Property(tries = 200)
  void everyBodyIsExactlyTheSizeAskedForAndAValidWorkMessage(
      @ForAll @IntRange(min = 0, max = 100_000) int workMillis,
      @ForAll @IntRange(min = 0, max = 5_000) int extra,
      @ForAll @DoubleRange(min = 0, max = 1) double failRate,
      @ForAll long seed)
      throws InvalidMessageException {
    int size = MessageBodies.smallestBody(workMillis) + extra;
    MessageBodies bodies = new MessageBodies(seed, size, workMillis, failRate);

    for (int i = 0; i < 5; i++) {
      String body = bodies.next();
      assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(size);
      assertThat(WorkMessage.parse(body).workMillis()).isEqualTo(workMillis);
    }
  }

  @Test
  void theLargestBodyIsTheSqsLimit() {
    String body = new MessageBodies(1, GenerateRequest.MAX_BODY_BYTES, 0, 0).next();

    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(1_048_576);
  }

  @Test
  void aSeedReproducesTheBodies() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    MessageBodies a = new MessageBodies(42, 300, 10, 0.5);
    MessageBodies b = new MessageBodies(42, 300, 10, 0.5);
    for (int i = 0; i < 20; i++) {
      first.add(a.next());
      second.add(b.next());
    }

    assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
  }

  @Test
  void theFailRateMarksAboutThatShare() throws InvalidMessageException {
    MessageBodies bodies = new MessageBodies(3, 200, 0, 0.25);
    int failing = 0;
    for (int i = 0; i < 4_000; i++) {
      failing += WorkMessage.parse(bodies.next()).fail() ? 1 : 0;
    }

    assertThat(failing).isBetween(850, 1150);
  }
}
