package dev.queuescaler.infra;

import dev.queuescaler.scaler.config.TargetName;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a scaler's targets live in Parameter Store: {@code <prefix>/<target>/<key>}. One scaler
 * function reads one prefix, and its IAM, its change-event rule and its metrics namespace follow
 * from it.
 *
 * @param value an SSM path: {@code /} and one to {@value #MAX_LEVELS} names of {@code
 *     [A-Za-z0-9_.-]}, joined by {@code /}, at most {@value #MAX_LENGTH} characters, no trailing
 *     {@code /}, the first name not starting with {@code aws} or {@code ssm} (reserved by SSM)
 */
public record ParameterPrefix(String value) {

  /** SSM allows 15 levels in a name; a target and its key take two. */
  public static final int MAX_LEVELS = 13;

  /** Leaves room in a CloudWatch namespace (255) and an SSM name (1011 with its ARN). */
  public static final int MAX_LENGTH = 200;

  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");

  /** Before PATH, this would be built with no pattern to check it. */
  public static final ParameterPrefix DEFAULT = new ParameterPrefix("/queue-scaler");

  public ParameterPrefix {
    Objects.requireNonNull(value, "parameterPrefix");
    if (!PATH.matcher(value).matches()
        || value.length() > MAX_LENGTH
        || value.chars().filter(c -> c == '/').count() > MAX_LEVELS) {
      throw new IllegalArgumentException(
          "parameterPrefix must be an SSM path such as /queue-scaler or /team-a/scaler (1-"
              + MAX_LEVELS
              + " names of A-Z a-z 0-9 _ . -, no trailing /, at most "
              + MAX_LENGTH
              + " characters) but was \""
              + value
              + "\"");
    }
    String first = value.substring(1).toLowerCase(Locale.ROOT);
    if (first.startsWith("aws") || first.startsWith("ssm")) {
      throw new IllegalArgumentException(
          "parameterPrefix must not start with aws or ssm (reserved by Parameter Store) but was \""
              + value
              + "\"");
    }
  }

  /**
   * Whether {@code name} can be a target's level under a prefix: the scaler's target name ({@code
   * [A-Za-z0-9._-]{1,64}}) other than dots alone, which would write {@code <prefix>/../cluster}, a
   * level above the prefix.
   */
  public static boolean isTargetName(String name) {
    return TargetName.isValid(name) && !name.chars().allMatch(c -> c == '.');
  }

  /** {@code <prefix>/<target>}: where one target's keys live. */
  public String targetPath(String targetName) {
    return value + "/" + targetName;
  }

  /**
   * Whether one prefix holds the other ({@code /a} and {@code /a/b}): a scaler reads its prefix
   * recursively, so it would read the other's parameters as well.
   */
  public boolean overlaps(ParameterPrefix other) {
    return value.equals(other.value)
        || value.startsWith(other.value + "/")
        || other.value.startsWith(value + "/");
  }

  @Override
  public String toString() {
    return value;
  }
}
