package dev.queuescaler.simulator;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory results are written into (the simulator's and the local run's {@code --out}), made
 * and checked before the run: a run of minutes or hours must not end in a stack trace because its
 * results cannot be written. Every problem is an {@link IllegalArgumentException} naming the option
 * and the directory.
 */
public final class OutputDirectory {

  private OutputDirectory() {}

  /**
   * Makes {@code out} if missing and checks that {@code files} can be written into it.
   *
   * @param option the option that named it, for messages
   * @param files the names the run writes into it
   */
  public static void prepare(Path out, String option, List<String> files) {
    String named = option + " " + out;
    if (out.toString().isBlank()) {
      // Path.of("") is the working directory: results would land among whatever is there.
      throw new IllegalArgumentException(option + " must name a directory but was empty");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException(named + " is a file, not a directory");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new IllegalArgumentException(named + " cannot be created: " + reason(e));
    }
    for (String file : files) {
      if (Files.isDirectory(out.resolve(file))) {
        throw new IllegalArgumentException(
            named + " cannot be written: its " + file + " is a directory");
      }
    }
    try {
      // Writing is the only test that holds for every file system (/proc, a read-only mount).
      Files.delete(Files.createTempFile(out, ".write-check", ".tmp"));
    } catch (IOException e) {
      throw new IllegalArgumentException(named + " cannot be written: " + reason(e));
    }
  }

  /** Why a file operation failed, in words, without the exception's class name. */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getFile() == null ? fs.getReason() : fs.getFile() + ": " + fs.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
