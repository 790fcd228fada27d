package dev.queuescaler.infra;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The CPU and memory pairs Fargate accepts for a task (Amazon ECS developer guide, "Task CPU and
 * memory"): a pair outside them fails the deploy minutes in, so the stack rejects it at synthesis,
 * naming the context key.
 */
enum FargateSize {
  QUARTER(256, 512, 2048, 512),
  HALF(512, 1024, 4096, 1024),
  ONE(1024, 2048, 8192, 1024),
  TWO(2048, 4096, 16384, 1024),
  FOUR(4096, 8192, 30720, 1024),
  EIGHT(8192, 16384, 61440, 4096),
  SIXTEEN(16384, 32768, 122880, 8192);

  private final int cpu;
  private final int minMemoryMiB;
  private final int maxMemoryMiB;
  private final int stepMiB;

  FargateSize(int cpu, int minMemoryMiB, int maxMemoryMiB, int stepMiB) {
    this.cpu = cpu;
    this.minMemoryMiB = minMemoryMiB;
    this.maxMemoryMiB = maxMemoryMiB;
    this.stepMiB = stepMiB;
  }

  /** Rejects a CPU size Fargate does not have, or a memory size that CPU size does not take. */
  static void check(int cpu, int memoryMiB) {
    FargateSize size =
        Arrays.stream(values())
            .filter(s -> s.cpu == cpu)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "context workerCpu must be a Fargate CPU size ("
                            + Arrays.stream(values())
                                .map(s -> Integer.toString(s.cpu))
                                .collect(Collectors.joining(", "))
                            + ") but was "
                            + cpu));
    boolean fits =
        memoryMiB >= size.minMemoryMiB
            && memoryMiB <= size.maxMemoryMiB
            && (memoryMiB - size.minMemoryMiB) % size.stepMiB == 0
            // 256 CPU units take 512, 1024 and 2048: its step doubles.
            && (size != QUARTER || Integer.bitCount(memoryMiB) == 1);
    if (!fits) {
      throw new IllegalArgumentException(
          "context workerMemoryMiB must be "
              + size.minMemoryMiB
              + "-"
              + size.maxMemoryMiB
              + " in steps of "
              + (size == QUARTER ? "x2" : Integer.toString(size.stepMiB))
              + " with workerCpu "
              + cpu
              + " but was "
              + memoryMiB);
    }
  }
}
