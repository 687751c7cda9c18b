package dev.kawari.agent;

/** Bad input on the command line (an unknown node or service): exit code 2, nothing done. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
