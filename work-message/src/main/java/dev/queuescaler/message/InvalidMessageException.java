package dev.queuescaler.message;

/** A body that is not a valid work message; the message names what is wrong. */
public final class InvalidMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidMessageException(String message) {
    super(message);
  }
}
