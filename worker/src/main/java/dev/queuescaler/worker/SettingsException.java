package dev.queuescaler.worker;

/** A missing or invalid setting; the message names it. The worker exits with status 2. */
public final class SettingsException extends Exception {

  private static final long serialVersionUID = 1L;

  public SettingsException(String message) {
    super(message);
  }
}
