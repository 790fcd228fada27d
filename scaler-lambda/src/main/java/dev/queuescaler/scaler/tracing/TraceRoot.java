package dev.queuescaler.scaler.tracing;

/** Where a cycle's trace hangs, whichever tracer records it. */
public enum TraceRoot {
  /** The CLI and the local run: nothing encloses the cycle, so each cycle is a trace's root. */
  OWN_TRACE,
  /**
   * The Lambda: the function's segment, which Lambda opens for each invocation, is the parent; code
   * may only add beneath it.
   */
  FUNCTION_SEGMENT
}
