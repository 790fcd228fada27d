package dev.queuescaler.scaler.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * What every command-line front end (the scaler, the simulator, the local run) answers to an
 * argument picocli itself rejects (a value of the wrong type, an unknown or repeated option): one
 * line on stderr that names it, with a pointer to {@code --help}, and exit 2. Picocli's own handler
 * prints the whole usage after the message, which buries the one line that matters, while every
 * other bad input gets one line.
 */
public final class OneLineUsageErrors implements CommandLine.IParameterExceptionHandler {

  /** The exit status of every usage error, as picocli's own. */
  public static final int USAGE = 2;

  /** {@code cli}, answering its parse errors (and its subcommands') in one line. */
  public static CommandLine install(CommandLine cli) {
    cli.setParameterExceptionHandler(new OneLineUsageErrors());
    return cli;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    StringBuilder line = new StringBuilder(command.getCommandSpec().root().name());
    // Some picocli messages start with "Error: "; the program's name already says it is one.
    line.append(": ").append(e.getMessage().replaceFirst("^Error: ", ""));
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
      }
    }
    line.append(" (see ").append(command.getCommandSpec().qualifiedName()).append(" --help)");
    PrintWriter err = command.getErr();
    // A value with a line break in it must not make the answer two lines.
    err.println(line.toString().replaceAll("\\R", " "));
    err.flush();
    return USAGE;
  }
}
