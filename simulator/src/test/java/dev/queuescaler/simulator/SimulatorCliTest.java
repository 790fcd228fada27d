package dev.queuescaler.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorCliTest {

  @TempDir Path dir;

  @Test
  void compareWritesTheSummaryTheTableAndTheChart() throws Exception {
    int exit =
        new CommandLine(new SimulatorCli())
            .execute(
                "compare",
                "--scenario",
                "trickle",
                "--slo-seconds",
                "120",
                "--out",
                dir.toString());

    assertThat(exit).isZero();
    List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "policy,p50AgeSeconds,p95AgeSeconds,p99AgeSeconds,maxAgeSeconds,sloAttainment,"
                + "taskMinutes,costRatio,scalingActions,firstTaskSeconds,maxBacklog,arrived,processed");
    assertThat(csv.subList(1, csv.size()))
        .extracting(line -> line.substring(0, line.indexOf(',')))
        .containsExactly(
            "queue-scaler",
            "queue-scaler-backlog-per-task",
            "seed-alarm-step",
            "cdk-queue-processing",
            "cdk-queue-processing-as-shipped",
            "target-tracking",
            "target-tracking-min1",
            "keda-hpa",
            "clairvoyant",
            "lower-bound");
    assertThat(Files.readString(dir.resolve("summary.md"))).contains("| queue-scaler |");
    byte[] png = Files.readAllBytes(dir.resolve("chart.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void frontierSweepsEverySystemWithATargetOverTheGridAndDrawsItsChart() throws Exception {
    int exit =
        new CommandLine(new SimulatorCli())
            .execute(
                "frontier",
                "--family",
                "sparse",
                "--seeds",
                "101,102",
                "--targets",
                "5,100",
                "--out",
                dir.toString());

    assertThat(exit).isZero();
    List<String> csv = Files.readAllLines(dir.resolve("frontier.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "seed,system,target,p99AgeSeconds,taskMinutes,scalingActions,costRatio,sloAttainment");
    // Per draw: four systems at two targets, the two step policies once, the bound once.
    assertThat(csv).hasSize(1 + 2 * (4 * 2 + 2 + 1));
    assertThat(csv)
        .anyMatch(line -> line.startsWith("101,KEDA + HPA,5,"))
        .anyMatch(line -> line.startsWith("102,queue-scaler,100,"))
        .anyMatch(line -> line.startsWith("101,sqs-fargate-poller alarm,,"))
        .anyMatch(line -> line.startsWith("102,CDK QueueProcessingFargateService steps,,"))
        .anyMatch(line -> line.startsWith("101,lower bound,,60.0,"));
    byte[] png = Files.readAllBytes(dir.resolve("frontier.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void aFamilyDrawsItsOwnParametersFromEachSeed() {
    for (TrafficFamily family : TrafficFamily.values()) {
      assertThat(family.arrivals(101)).as(family.key()).isEqualTo(family.arrivals(101));
      assertThat(family.arrivals(101)).as(family.key()).isNotEqualTo(family.arrivals(102));
      assertThat(java.util.Arrays.stream(family.arrivals(101)).sum())
          .as(family.key() + " brings traffic")
          .isPositive();
    }
  }

  @Test
  void timelineAccountsForEveryArrivalMinuteByMinuteForEachFleet() throws Exception {
    int exit =
        new CommandLine(new SimulatorCli())
            .execute("compare", "--scenario", "burst", "--out", dir.toString());

    assertThat(exit).isZero();
    List<String> timeline = Files.readAllLines(dir.resolve("timeline.csv"));
    assertThat(timeline.get(0)).isEqualTo("minute,policy,arrivals,visible,running");
    List<String[]> ours =
        timeline.stream()
            .skip(1)
            .map(line -> line.split(","))
            .filter(row -> row[1].equals("queue-scaler"))
            .toList();
    assertThat(ours).extracting(row -> Integer.parseInt(row[0])).startsWith(0, 1, 2);
    assertThat(ours.stream().mapToInt(row -> Integer.parseInt(row[2])).sum()).isEqualTo(10_000);
    // The burst lands in minute 10; its messages are visible at the minute's end, before any task.
    assertThat(ours.get(10)).containsExactly("10", "queue-scaler", "10000", "10000", "0");
    assertThat(ours.stream().mapToInt(row -> Integer.parseInt(row[4])).max().orElseThrow())
        .isEqualTo(20);
    assertThat(timeline).noneMatch(line -> line.contains(",lower-bound,"));
  }

  @Test
  void badInputIsAUsageError() {
    assertThat(
            new CommandLine(new SimulatorCli())
                .execute("compare", "--scenario", "nope", "--out", dir.toString()))
        .isEqualTo(2);
    assertThat(
            new CommandLine(new SimulatorCli())
                .execute(
                    "compare",
                    "--scenario",
                    "burst",
                    "--param",
                    "max-tasks=3",
                    "--out",
                    dir.toString()))
        .isEqualTo(2);
    assertThat(
            new CommandLine(new SimulatorCli())
                .execute(
                    "compare",
                    "--scenario",
                    "burst",
                    "--param",
                    "backlog-per-task=0",
                    "--out",
                    dir.toString()))
        .isEqualTo(2);
  }

  @Test
  void tunePrintsTheCheapestSettingAsSsmCommands() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true));
    int exit;
    try {
      exit =
          new CommandLine(new SimulatorCli())
              .execute(
                  "tune", "--scenario", "steady", "--slo-seconds", "60", "--slo-target", "0.95");
    } finally {
      System.setOut(original);
    }

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("| backlog-per-task | scale-in-stabilization-seconds |")
        .contains(
            "aws ssm put-parameter --overwrite --type String --name /queue-scaler/default/backlog-per-task --value ");
  }
}
