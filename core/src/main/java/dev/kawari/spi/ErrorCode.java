package dev.kawari.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A categorised, stable error code such as {@code EXEC_COMMAND_FAILED}. Codes appear in events and
 * logs; operators search for them, so a code never changes its meaning once released.
 *
 * @param name upper-case words separated by underscores
 * @param type the category, which decides how the engine reacts
 */
public record ErrorCode(String name, ErrorType type) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

    /** An action ran past its deadline. */
    public static final ErrorCode ACTION_TIMED_OUT = new ErrorCode("ACTION_TIMED_OUT", ErrorType.TIMEOUT);
    /** An action was interrupted (shutdown or cancellation). */
    public static final ErrorCode ACTION_INTERRUPTED = new ErrorCode("ACTION_INTERRUPTED", ErrorType.INTERNAL);
    /** A kit threw something other than a {@link KawariException}. */
    public static final ErrorCode KIT_FAILURE = new ErrorCode("KIT_FAILURE", ErrorType.INTERNAL);
    /** A configuration value is invalid. */
    public static final ErrorCode INVALID_CONFIGURATION = new ErrorCode("INVALID_CONFIGURATION", ErrorType.CONFIGURATION);

    public ErrorCode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("error code name must be UPPER_SNAKE_CASE: " + name);
        }
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
