package dev.kawari.app;

import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;

/**
 * Where a password is read, never the password itself: the configuration names the source ({@link
 * EnvironmentPassword}, {@link FilePassword}, {@link SecretsManagerPassword}), and the password is
 * read when it is needed, so that a changed password is picked up without a restart.
 *
 * <p>Implementations never put the password in a message, an exception, an event or {@code
 * toString()}. Thread-safe.
 */
public interface PasswordSource extends AutoCloseable {

    /**
     * Reads the password, within the context's deadline.
     *
     * @throws dev.kawari.spi.KawariException of type CONFIGURATION (the kit's "password unavailable"
     *     code) when the source is missing, unreadable, empty or not allowed: waiting will not help; of
     *     type EXTERNAL, retryable, when the source cannot answer now (a throttled or failing secret
     *     store): a check says Unknown; and an interrupted one (flag set) when the thread is interrupted
     */
    Password read(OperationContext context);

    /** The source for messages: {@code environment variable LDAP_MONITOR_PASSWORD}, {@code file /etc/...}. */
    String describe();

    /**
     * Reports on {@code key} when the password cannot be read on this node; touches nothing else.
     * Failures that say nothing about the configuration (a throttled secret store) are thrown.
     */
    void verify(String key, OperationContext context, ProblemReporter problems);

    /**
     * Called when the server refused the password: a source that keeps what it read (Secrets
     * Manager) reads afresh next time, so that a rotated password is picked up at once.
     */
    default void forget() {
    }

    /** Releases what the source holds (AWS clients). Idempotent. */
    @Override
    default void close() {
    }
}
