package dev.queuescaler.scaler.config;

import java.util.Objects;
import java.util.regex.Pattern;

/** A target's name: the child path under the parameter prefix, {@code [A-Za-z0-9._-]{1,64}}. */
public record TargetName(String value) {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public TargetName {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "target name must match [A-Za-z0-9._-]{1,64} but was \"" + value + "\"");
    }
  }

  public static boolean isValid(String candidate) {
    return candidate != null && VALID.matcher(candidate).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
