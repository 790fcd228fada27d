package dev.queuescaler.worker;

import dev.queuescaler.message.SqsErrors;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The receive loops. Each of {@code concurrency} loops holds up to ten messages at once and
 * long-polls for as many as it has room for, as soon as it has room: a slow message takes one slot,
 * not the loop. Each message runs on its own thread; its life from receive to delete is the {@link
 * MessageLedger}'s, deletes are the {@link FinishedDeleter}'s, heartbeats the {@link
 * VisibilityHeartbeat}'s.
 *
 * <p>A receive that fails retryably (the in-flight limit, SQS or KMS throttling, 5xx, network)
 * backs off exponentially with jitter; one that no retry can mend (AccessDenied, QueueDoesNotExist,
 * the KMS key's state; see {@link ReceiveBackoff}) and any unexpected error in a loop are fatal:
 * reported once to {@code onFatal}, so that the process can end loudly and ECS replace the task. A
 * loop never ends silently.
 *
 * <p>A message held longer than {@code WORKER_MAX_PROCESSING_SECONDS} is given up: back to SQS with
 * visibility 0, reported ({@code processing-timed-out}, {@code worker.messages.timed.out}), and no
 * longer keeping the task busy; its handler's late outcome is neither deleted nor given back again.
 * Its thread is not interrupted: the handler is not ours to stop (an interrupt closes any NIO
 * channel it is using, shared ones included), and a thread that never returns is what the next rule
 * is for. When every processing thread holds such a message, nothing can progress: that is fatal
 * like the errors above ({@code all-threads-stuck}), so that ECS replaces the task.
 */
public final class QueueWorker {

  /**
   * What shutdown did.
   *
   * @param finished messages whose work finished after the stop began (their outcome was kept)
   * @param released messages given back (visible again) because their work was still running at the
   *     deadline, or because they arrived after the stop: SQS delivers them again
   * @param releaseFailed messages that could not be given back (SQS refused them, their call failed
   *     or was not answered in time, or was not made before the give-back's deadline): visible
   *     again after the visibility timeout instead
   * @param withinBudget whether the started work ended before the deadline
   */
  public record ShutdownReport(
      long finished, long released, long releaseFailed, boolean withinBudget) {}

  /** Messages one loop holds at most: one ReceiveMessage's worth. */
  static final int SLOTS_PER_LOOP = 10;

  /**
   * How long a receive loop waits for deletes before it says so ({@code receive-paused}): deletes
   * answered a little slower than the work finishes pause the receives for a fraction of a second
   * at a time, many times a second, and only a pause this long says deletes are not getting
   * through.
   */
  static final Duration PAUSE_WORTH_SAYING = Duration.ofSeconds(1);

  /** How long a stop waits for all delete loops together to finish the call each may be in. */
  static final Duration DELETERS_JOIN = Duration.ofSeconds(1);

  /**
   * What ECS leaves a stopping task past its shutdown budget before it kills it: infra's
   * WorkerService sets the stopTimeout to {@code WORKER_SHUTDOWN_SECONDS} + 20 s.
   */
  static final Duration STOP_MARGIN = Duration.ofSeconds(20);

  /**
   * What the stop keeps for itself after the give-back, before ECS kills the task: {@link
   * Worker#stop()} then writes the shutdown report, and only then releases task protection (a call
   * to the ECS agent: at most 2 s to connect and 3 s for its answer) and makes the last metrics
   * publish (waiting at most {@link WorkerMetrics#PUBLISH_WAIT}, 3 s, for CloudWatch); the kill may
   * cut those two, never the report.
   */
  static final Duration AFTER_GIVE_BACK = Duration.ofSeconds(5);

  private final SqsClient sqs;
  private final WorkerSettings settings;
  private final MessageProcessor processor;
  private final WorkerMetrics metrics;
  private final JsonLog log;
  private final Consumer<String> onFatal;
  private final InstantSource clock;
  private final MessageLedger<WorkerTracing.MessageTrace> ledger = new MessageLedger<>();
  private final SqsBatches batches;
  private final VisibilityHeartbeat heartbeat;
  private final FinishedDeleter deleter;
  private final Duration visibilityTimeout;
  private final ExecutorService processors;
  private final ScheduledExecutorService heartbeats;
  private final ExecutorService heartbeatCalls;
  private final List<Thread> loops = new ArrayList<>();
  private final List<Thread> deleters = new ArrayList<>();
  private final AtomicLong finishedAfterStop = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong releaseFailed = new AtomicLong();
  private final AtomicInteger fatalReported = new AtomicInteger();
  // Set by the loop that pauses receives first, cleared by the one that resumes first.
  private final AtomicBoolean receivesPaused = new AtomicBoolean();
  private volatile boolean stopping;
  // Set before stopping, read by whoever gives messages back after it.
  private volatile Instant giveBackBy = Instant.MAX;
  // Only the heartbeat thread reads and writes it.
  private boolean allStuckReported;
  private volatile boolean deletersStopping;

  QueueWorker(
      SqsClient sqs,
      WorkerSettings settings,
      MessageHandler handler,
      WorkerMetrics metrics,
      WorkerTracing tracing,
      JsonLog log,
      Duration visibilityTimeout,
      InstantSource clock,
      Consumer<String> onFatal) {
    this.sqs = sqs;
    this.clock = clock;
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    this.onFatal = onFatal;
    this.visibilityTimeout = visibilityTimeout;
    this.processor = new MessageProcessor(handler, metrics, tracing, log, settings.queueName());
    this.batches = new SqsBatches(sqs, settings.queueUrl());
    // A thread for each call of ten the worker's held messages can make, so that a beat's calls
    // all go out at once: at most thirty a loop, running or finished and waiting for their delete
    // (receives stop at twenty finished a loop, awaitDeletesCaughtUp, and the ten a loop runs may
    // all finish after that). Made one after another, SQS answering each
    // slowly (up to its 10 s bound) took a beat past the visibility of the last calls' messages; a
    // smaller pool does the same in rounds (8 threads, 64 calls: 8 rounds of up to 10 s, past a
    // 30 s visibility's 20 s), and the messages of the last round go last again at the next beat.
    this.heartbeatCalls =
        Executors.newFixedThreadPool(3 * settings.concurrency(), named("heartbeat-call"));
    this.heartbeat =
        new VisibilityHeartbeat(
            ledger,
            batches,
            visibilityTimeout,
            heartbeatCalls,
            metrics,
            log,
            clock,
            error ->
                fatal("heartbeat-failed-permanently", "ChangeMessageVisibilityBatch: " + error));
    this.deleter =
        new FinishedDeleter(
            ledger,
            batches,
            log,
            clock,
            error -> fatal("delete-failed-permanently", "DeleteMessageBatch: " + error));
    this.processors =
        Executors.newFixedThreadPool(settings.concurrency() * SLOTS_PER_LOOP, named("process"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("heartbeat"));
  }

  void start() {
    for (int i = 0; i < settings.concurrency(); i++) {
      Semaphore slots = new Semaphore(SLOTS_PER_LOOP);
      Thread loop = new Thread(() -> guarded("receive-loop", () -> receiveLoop(slots)));
      loop.setName("receive-" + i);
      loops.add(loop);
      loop.start();
      Thread deleting = new Thread(() -> guarded("delete-loop", this::deleteLoop));
      deleting.setName("delete-" + i);
      deleting.setDaemon(true);
      deleters.add(deleting);
      deleting.start();
    }
    long every = heartbeat.period().toMillis();
    // On the heartbeat thread: a give-back and a heartbeat for one message never run at once (a
    // beat's calls run on their own threads, but the beat returns only once they are done).
    heartbeats.scheduleWithFixedDelay(
        () -> guarded("processing-bound", this::giveUpOverdue),
        every,
        every,
        TimeUnit.MILLISECONDS);
    heartbeats.scheduleWithFixedDelay(
        () -> guarded("heartbeat", heartbeat::beat), every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Gives back every message held past the bound, and stops the worker when all its processing
   * threads are stuck on such messages.
   *
   * <p>Given back with visibility 0 rather than left to expire: either way nothing is lost (the
   * message is in SQS, and its receive count moves it to the dead-letter queue if it always hangs),
   * but visibility 0 lets another task start it now instead of up to a visibility timeout later. If
   * the give-back fails, the message still comes back when its visibility runs out, since it is no
   * longer heartbeated.
   */
  private void giveUpOverdue() {
    List<MessageLedger.Overdue> overdue = ledger.overdue(clock.instant(), settings.maxProcessing());
    if (!overdue.isEmpty()) {
      List<String> toGiveBack =
          overdue.stream()
              .filter(message -> !message.lost())
              .map(MessageLedger.Overdue::receiptHandle)
              .toList();
      // Bounded like heartbeat calls and made at once like them, on their threads: this runs on
      // the heartbeat thread, and the other messages' heartbeats must not wait behind it (a loop's
      // ten messages stuck together, SQS answering slowly).
      Map<String, String> failed = new ConcurrentHashMap<>();
      List<String> notMade =
          CallsAtOnce.inTens(
              heartbeatCalls,
              toGiveBack,
              ten ->
                  failed.putAll(
                      batches
                          .changeVisibility(ten, 0, Optional.of(heartbeat.callTimeout()))
                          .failed()));
      notMade.forEach(handle -> failed.put(handle, "not tried: the worker's stop had ended"));
      for (MessageLedger.Overdue message : overdue) {
        metrics.timedOut();
        String error = failed.get(message.receiptHandle());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messageId", message.messageId());
        fields.put("heldSeconds", message.heldFor().toSeconds());
        fields.put("maxProcessingSeconds", settings.maxProcessing().toSeconds());
        if (message.lost()) {
          fields.put(
              "consequence",
              "its visibility had run out already: not given back; its handler still runs");
        } else if (error == null) {
          fields.put("consequence", "given back to SQS (visible now); its handler still runs");
        } else {
          fields.put("error", error);
          fields.put(
              "consequence",
              "give-back failed: visible again when its visibility runs out; its handler still"
                  + " runs");
        }
        log.error("processing-timed-out", fields);
      }
    }
    int threads = settings.concurrency() * SLOTS_PER_LOOP;
    int stuck = ledger.count(MessageLedger.State.TIMED_OUT);
    if (stuck >= threads && !allStuckReported) {
      allStuckReported = true;
      fatal(
          "all-threads-stuck",
          stuck
              + " of "
              + threads
              + " processing threads are stuck past WORKER_MAX_PROCESSING_SECONDS="
              + settings.maxProcessing().toSeconds());
    }
  }

  /**
   * Whether the worker holds a message it still has to finish: the task must not be scaled in now.
   */
  boolean busy() {
    return ledger.busy();
  }

  private void receiveLoop(Semaphore slots) {
    ReceiveBackoff backoff = ReceiveBackoff.jittered();
    while (!stopping) {
      int room = awaitRoom(slots);
      if (room == 0) {
        return;
      }
      if (!awaitDeletesCaughtUp()) {
        slots.release(room);
        return;
      }
      double receiveStart = Clocks.seconds();
      List<Message> messages;
      try {
        messages = receive(room);
        backoff.reset();
      } catch (SdkException e) {
        slots.release(room);
        if (!SqsErrors.isRetryable(e)) {
          fatal("receive-failed-permanently", "ReceiveMessage: " + ReceiveBackoff.describe(e));
          return;
        }
        Duration wait = backoff.next();
        log.warn(
            "receive-failed",
            Map.of("error", ReceiveBackoff.describe(e), "retryInMillis", wait.toMillis()));
        pause(wait);
        continue;
      }
      slots.release(room - messages.size());
      double receiveEnd = Clocks.seconds();
      Instant now = clock.instant();
      messages.forEach(m -> ledger.hold(m.receiptHandle(), m.messageId(), now));
      if (stopping) {
        // Received after the stop began, never started: give them back at once.
        giveBack(ledger.claim(messages.stream().map(Message::receiptHandle).toList()));
        slots.release(messages.size());
        return;
      }
      for (Message message : messages) {
        submit(message, receiveStart, receiveEnd, slots);
      }
    }
  }

  /**
   * Waits, before a receive, while twice as many finished messages wait for their delete as the
   * loops run at once ({@code receive-paused} once a pause has lasted {@link #PAUSE_WORTH_SAYING},
   * then {@code receive-resumed}, by whichever loop sees it end first; once as many is what a fleet
   * of loops finishing together leaves for the next delete calls): while deletes fail (an SQS
   * outage of seconds, FinishedDeleter.RETRY_FOR), finished messages are kept and heartbeated, and
   * received on they would pile up past what one beat's calls can extend in time. Their own
   * visibility then runs out and SQS delivers them again: their work runs twice, and work received
   * meanwhile would only wait for deletes too. False when the worker is stopping.
   */
  private boolean awaitDeletesCaughtUp() {
    int most = 2 * WorkerSettings.messagesAtOnce(settings.concurrency());
    Instant pausedAt = null;
    int waiting;
    // Read once a round: one read to decide and another to wait could pause without a word.
    while ((waiting = ledger.awaitingDelete()) >= most) {
      if (stopping) {
        return false;
      }
      Instant now = clock.instant();
      if (pausedAt == null) {
        pausedAt = now;
      } else if (!now.isBefore(pausedAt.plus(PAUSE_WORTH_SAYING))
          && receivesPaused.compareAndSet(false, true)) {
        log.warn(
            "receive-paused",
            Map.of(
                "awaitingDelete",
                waiting,
                "consequence",
                "no receive until fewer than "
                    + most
                    + " finished messages wait for their delete; they stay heartbeated"));
      }
      pause(Duration.ofMillis(100));
    }
    if (receivesPaused.compareAndSet(true, false)) {
      log.info("receive-resumed", Map.of("awaitingDelete", waiting));
    }
    return !stopping;
  }

  /** Waits for at least one free slot and takes every free one; 0 when the worker is stopping. */
  private int awaitRoom(Semaphore slots) {
    try {
      while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        if (stopping) {
          return 0;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
    if (stopping) {
      slots.release();
      return 0;
    }
    return 1 + slots.drainPermits();
  }

  private List<Message> receive(int max) {
    return sqs.receiveMessage(
            r ->
                r.queueUrl(settings.queueUrl())
                    .maxNumberOfMessages(max)
                    .waitTimeSeconds(settings.receiveWaitSeconds())
                    // The timeout the heartbeats count with, whatever the queue's is now: one
                    // lowered on a running fleet would otherwise let a message come back before
                    // its first heartbeat, and its work run again elsewhere.
                    .visibilityTimeout((int) visibilityTimeout.toSeconds())
                    .messageSystemAttributeNames(
                        MessageSystemAttributeName.AWS_TRACE_HEADER,
                        MessageSystemAttributeName.SENT_TIMESTAMP,
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages();
  }

  private void submit(Message message, double receiveStart, double receiveEnd, Semaphore slots) {
    try {
      processors.execute(() -> runOne(message, receiveStart, receiveEnd, slots));
    } catch (RejectedExecutionException e) {
      settleCrashed(message, e);
      slots.release();
    }
  }

  /** One message, start to outcome; nothing it throws escapes, and its slot is always freed. */
  private void runOne(Message message, double receiveStart, double receiveEnd, Semaphore slots) {
    try {
      MessageProcessor.Outcome outcome = processor.process(message, receiveStart, receiveEnd);
      if (outcome.succeeded()) {
        MessageLedger.Settlement settlement =
            ledger.succeeded(message.receiptHandle(), outcome.trace());
        if (settlement != MessageLedger.Settlement.RECORDED) {
          outcome.trace().finish(Clocks.seconds());
          log.warn(
              "finished-but-not-ours",
              Map.of(
                  "messageId",
                  message.messageId(),
                  "settlement",
                  settlement.name(),
                  "consequence",
                  "not deleted here; SQS delivers it again"));
        }
      } else {
        ledger.failed(message.receiptHandle());
        outcome.trace().finish(Clocks.seconds());
      }
    } catch (Throwable crash) { // NOPMD: a crash must release the message, whatever it is
      settleCrashed(message, crash);
    } finally {
      if (stopping) {
        finishedAfterStop.incrementAndGet();
      }
      slots.release();
    }
  }

  /**
   * Processing ended in neither success nor a normal failure (an exception from tracing or metrics,
   * a rejected task): the message counts as failed, leaves the ledger, and comes back through SQS's
   * retry path (visibility timeout, then the dead-letter queue).
   */
  private void settleCrashed(Message message, Throwable crash) {
    ledger.failed(message.receiptHandle());
    metrics.crashed();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("messageId", message.messageId());
    fields.put("cause", String.valueOf(crash));
    fields.put("consequence", "failed: visible again after the visibility timeout");
    log.error("message-crashed", fields);
  }

  private void deleteLoop() {
    // A call that failed whole is tried again after a backoff, as a receive is: every task meets
    // an SQS outage at once, and calls as fast as they fail would add to it. Each loop backs off on
    // its own, so with N loops a failed message may be tried up to N times per backoff step.
    ReceiveBackoff backoff = ReceiveBackoff.jittered();
    try {
      while (!deletersStopping) {
        int finished = ledger.awaitFinished(Duration.ofMillis(100));
        if (finished > 0 && finished < SqsBatches.MAX_ENTRIES) {
          Thread.sleep(FinishedDeleter.LINGER.toMillis());
        }
        FinishedDeleter.Pass pass = deleter.deleteSome();
        if (pass.callFailed()) {
          // In slices, so that a shutdown does not wait for the whole backoff.
          Instant wakeAt = clock.instant().plus(backoff.next());
          while (!deletersStopping && clock.instant().isBefore(wakeAt)) {
            Thread.sleep(Math.min(100, Duration.between(clock.instant(), wakeAt).toMillis() + 1));
          }
        } else if (pass.taken() > 0) {
          backoff.reset();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Gives messages back (visibility 0), ten a call, one call after another, until {@link
   * #giveBackBy}: counts what SQS accepted, and counts and logs ({@code release-failed}) each
   * message it did not: refused, in a call that failed or was not answered in time, or in a call
   * not made because the deadline had come.
   */
  private void giveBack(List<String> receiptHandles) {
    for (int from = 0; from < receiptHandles.size(); from += SqsBatches.MAX_ENTRIES) {
      Duration left = Duration.between(clock.instant(), giveBackBy);
      if (left.compareTo(SqsBatches.MIN_CALL) < 0) {
        List<String> rest = receiptHandles.subList(from, receiptHandles.size());
        releaseFailed.addAndGet(rest.size());
        rest.forEach(
            handle ->
                releaseFailed(
                    "not tried: the give-back's deadline, "
                        + AFTER_GIVE_BACK.toSeconds()
                        + " s before ECS stops the task, had come"));
        return;
      }
      List<String> group =
          receiptHandles.subList(
              from, Math.min(receiptHandles.size(), from + SqsBatches.MAX_ENTRIES));
      // Each call bounded like a heartbeat, the same call with another visibility (a third of the
      // visibility timeout, 1 to 10 s, SDK retries included; unbounded, a call SQS does not answer
      // takes the SDK client's whole timeout, 60 s), and never past the deadline: a call that hangs
      // leaves the next ones time.
      Duration callTimeout =
          left.compareTo(heartbeat.callTimeout()) < 0 ? left : heartbeat.callTimeout();
      SqsBatches.Result result = batches.changeVisibility(group, 0, Optional.of(callTimeout));
      released.addAndGet(result.succeeded().size());
      releaseFailed.addAndGet(result.failed().size());
      result.failed().values().forEach(this::releaseFailed);
    }
  }

  /** One {@code release-failed} line: a message the stop could not give back, and why. */
  private void releaseFailed(String error) {
    log.error(
        "release-failed",
        Map.of("error", error, "consequence", "visible again only after the visibility timeout"));
  }

  /**
   * Stops receiving at once, lets started work finish until the budget ends, deletes every finished
   * message (again after the heartbeats' end, for work that finished meanwhile), and gives back the
   * ones whose work is still running; a loop whose receive answered after the stop began gives its
   * messages back itself, and is waited for until the give-back's deadline, so that the report
   * counts them.
   */
  public ShutdownReport shutdown() {
    Instant deadline = clock.instant().plus(settings.shutdownBudget());
    // ECS kills the task STOP_MARGIN (20 s) after the budget. Past the budget the stop spends at
    // most DELETERS_JOIN (1 s) on the delete loops, FinishedDeleter.AT_SHUTDOWN (5 s) on the last
    // deletes, the heartbeat call's bound + 1 s (at most 11 s) on the heartbeats' end and
    // AT_SHUTDOWN again on deleting work that finished meanwhile, these two never past giveBackBy:
    // milliseconds each when SQS answers (the late deletes make no call when no work finished
    // late). The give-back gets what they leave up to AFTER_GIVE_BACK (5 s, for the report) before
    // the kill: the budget + 15 s, about 15 s of it in a stop where SQS answers (64 loops' 640
    // messages are 64 calls). When the steps before it reach that deadline (SQS answering neither
    // deletes nor heartbeats), it makes no call: its messages count as release-failed, and come
    // back after their visibility timeout, as they would have from a killed task, but reported.
    giveBackBy = deadline.plus(STOP_MARGIN).minus(AFTER_GIVE_BACK);
    deleter.stopBegan();
    stopping = true;
    for (Thread loop : loops) {
      try {
        loop.join(Math.max(1, Duration.between(clock.instant(), deadline).toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    while (ledger.count(MessageLedger.State.RUNNING) > 0 && clock.instant().isBefore(deadline)) {
      pause(Duration.ofMillis(20));
    }
    boolean withinBudget =
        ledger.count(MessageLedger.State.RUNNING) == 0 && loops.stream().noneMatch(Thread::isAlive);
    deletersStopping = true;
    // One second for all of them, not each: a loop inside a call SQS does not answer stays there
    // for the call's timeout, and 64 loops joined one by one would overrun the stop timeout ECS
    // gives past the budget, killing the task before its last deletes and its give-back.
    Instant deletersJoinedBy = clock.instant().plus(DELETERS_JOIN);
    for (Thread deleting : deleters) {
      try {
        deleting.join(Math.max(1, Duration.between(clock.instant(), deletersJoinedBy).toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleter.deleteAll(ReceiveBackoff.jittered());
    // A heartbeat call still on its way would land after the give-back and hide the message for a
    // whole visibility timeout: the heartbeats end, and the calls in flight with them (a beat's
    // calls go out at once: at most a call's bound), before anything is given back. A call still
    // waiting for a thread then starts after the claim below: it finds its running messages gone
    // from the ledger and leaves them out. Not waited for past the give-back's deadline: after
    // the delete loops' and the last deletes' 6 s, a call's bound + 1 s (11 s) would take the stop
    // to the budget + 17 s, into the 5 s it keeps for the report; the give-back then has no time
    // left and makes no call.
    heartbeats.shutdown();
    try {
      long toGiveBackBy = Math.max(0, Duration.between(clock.instant(), giveBackBy).toMillis());
      heartbeats.awaitTermination(
          Math.min(heartbeat.callTimeout().plusSeconds(1).toMillis(), toGiveBackBy),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Work may have finished since the last deletes looked, while the heartbeats ended (up to
    // 11 s): finished work is never given back, and left in the ledger it would be neither deleted
    // nor given back. The unfinished messages are claimed first, so that none can finish unseen
    // after this look (one that finishes later finds its message given back); the ones finished
    // are deleted now, for up to FinishedDeleter.AT_SHUTDOWN (5 s) but never past giveBackBy, each
    // still not deleted then logged, before the give-back: a message not deleted runs again, one
    // not given back only waits for its visibility timeout. No call when none finished.
    List<String> unfinished = ledger.claimUnfinished();
    Instant lateDeletesBy = clock.instant().plus(FinishedDeleter.AT_SHUTDOWN);
    deleter.deleteLate(
        ReceiveBackoff.jittered(), lateDeletesBy.isBefore(giveBackBy) ? lateDeletesBy : giveBackBy);
    giveBack(unfinished);
    // A loop still in a receive when the wait for the loops ended (SQS answering it late) gives
    // back what that receive brings itself, through the same giveBack: waited for until the
    // give-back's deadline, so that the report counts those messages too. One whose receive answers
    // later makes no call: it logs each message release-failed, after the report.
    for (Thread loop : loops) {
      try {
        loop.join(Math.max(1, Duration.between(clock.instant(), giveBackBy).toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    heartbeats.shutdownNow();
    heartbeatCalls.shutdownNow();
    processors.shutdownNow();
    return new ShutdownReport(
        finishedAfterStop.get(), released.get(), releaseFailed.get(), withinBudget);
  }

  /** Runs a loop body; anything unexpected that escapes it is fatal, never silent. */
  private void guarded(String what, Runnable body) {
    try {
      body.run();
    } catch (Throwable e) { // NOPMD: the last line of defence of a worker thread
      fatal(what + "-crashed", what + " ended unexpectedly: " + e);
    }
  }

  private void fatal(String event, String reason) {
    log.error(event, Map.of("error", reason, "consequence", "the worker stops; replace the task"));
    if (fatalReported.getAndIncrement() == 0) {
      onFatal.accept(reason);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
