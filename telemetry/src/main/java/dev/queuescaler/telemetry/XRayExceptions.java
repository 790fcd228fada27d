package dev.queuescaler.telemetry;

import com.amazonaws.xray.entities.Entity;
import com.amazonaws.xray.entities.ThrowableDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Hands the X-Ray SDK a failure it can describe. The SDK follows {@code getCause()} until it is
 * null, with no check for a loop: a chain whose causes loop ({@code a.initCause(b);
 * b.initCause(a)}, which the JDK allows) sent it round until the heap was gone. Call {@link
 * #addException} wherever the SDK's {@code Entity.addException} would be called.
 */
public final class XRayExceptions {

  /**
   * The most exceptions of a failure's cause chain an entity describes: the SDK writes stack frames
   * for each, and a document leaves in one UDP datagram of at most 64 KB.
   */
  public static final int MAX_CAUSES = 8;

  /** How far past {@link #MAX_CAUSES} a chain's causes are counted for the note that ends it. */
  private static final int COUNTED_AT_MOST = 1_000;

  private XRayExceptions() {}

  /**
   * Describes {@code failure} on {@code entity}. A chain that ends within {@link #MAX_CAUSES} is
   * handed over as it is; any other is handed over as copies of its first exceptions, each once, up
   * to {@link #MAX_CAUSES}, the last saying where the loop closes ({@code [CIRCULAR REFERENCE:
   * ...]}, as the JDK prints it) or how many causes were left out. The descriptions keep each
   * exception's type, message and stack trace.
   */
  public static void addException(Entity entity, Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    Throwable next = failure;
    while (next != null && chain.size() < MAX_CAUSES && seen.add(next)) {
      chain.add(next);
      next = next.getCause();
    }
    if (next == null) {
      entity.addException(failure);
      return;
    }
    String closing;
    if (seen.contains(next)) {
      closing = "[CIRCULAR REFERENCE: " + next + "]";
    } else {
      // Counted, not described, and only so far: the chain past the bound may be long or loop.
      int left = 0;
      for (Throwable rest = next;
          rest != null && left < COUNTED_AT_MOST && seen.add(rest);
          rest = rest.getCause()) {
        left++;
      }
      closing =
          "[" + (left < COUNTED_AT_MOST ? left : "at least " + left) + " more causes left out]";
    }
    Throwable copy = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Throwable original = chain.get(i);
      String message = original.getMessage();
      if (i == chain.size() - 1) {
        message = message == null ? closing : message + " " + closing;
      }
      copy = new CauseCopy(original, message, copy);
    }
    entity.addException(copy);
    for (ThrowableDescription description : entity.getCause().getExceptions()) {
      if (description.getThrowable() instanceof CauseCopy described) {
        description.setType(described.type);
      }
    }
  }

  /**
   * One exception of a cause chain, copied without its cause so that the copies form a chain that
   * ends: its type's name (the SDK would name this class), message and stack trace.
   */
  private static final class CauseCopy extends Exception {
    private static final long serialVersionUID = 1L;
    private final String type;

    CauseCopy(Throwable original, String message, Throwable cause) {
      super(message, cause, false, true);
      this.type = original.getClass().getName();
      setStackTrace(original.getStackTrace());
    }
  }
}
