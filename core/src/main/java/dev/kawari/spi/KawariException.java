package dev.kawari.spi;

import java.util.Objects;

/**
 * The one exception kits throw. It carries an {@link ErrorCode} and says whether trying the same
 * action again may succeed (a throttled API call: yes; a missing permission: no).
 *
 * <p>Kits translate the exceptions of the libraries they use into this one at their boundary,
 * keeping the useful facts (operation name, request id) in the message.
 */
public class KawariException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;

    public KawariException(ErrorCode code, boolean retryable, String message) {
        this(code, retryable, message, null);
    }

    public KawariException(ErrorCode code, boolean retryable, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryable = retryable;
    }

    /** A failure that retrying will not fix. */
    public static KawariException permanent(ErrorCode code, String message) {
        return new KawariException(code, false, message);
    }

    /** The deadline of the running action has passed. */
    public static KawariException timedOut(String message) {
        return new KawariException(ErrorCode.ACTION_TIMED_OUT, true, message);
    }

    /**
     * The running action was interrupted. Sets the thread's interrupt flag again, so callers that
     * catch this still see the interrupt.
     */
    public static KawariException interrupted(String message, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new KawariException(ErrorCode.ACTION_INTERRUPTED, true, message, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorType type() {
        return code.type();
    }

    public boolean retryable() {
        return retryable;
    }
}
