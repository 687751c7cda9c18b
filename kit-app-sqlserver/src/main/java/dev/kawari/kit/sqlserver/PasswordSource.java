package dev.kawari.kit.sqlserver;

import dev.kawari.spi.ProblemReporter;

/**
 * Where a password is read, never the password itself: the configuration names the source, and the
 * password is read afresh for every check, so that a rotated password is picked up without a restart.
 *
 * <p>Implementations never put the password in a message, an exception or {@code toString()}.
 *
 * <p>Sources today: {@link EnvironmentPassword} ({@code password-env}) and {@link FilePassword}
 * ({@code password-file}). AWS Secrets Manager ({@code password-secret-id}) plugs in as one more
 * implementation that calls {@code GetSecretValue} through the AWS support module's client, bounded by
 * the check's deadline; until then the key is declared and reported as not yet supported.
 */
interface PasswordSource {

    /**
     * Reads the password.
     *
     * @throws dev.kawari.spi.KawariException {@link SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE} (CONFIGURATION)
     *     when the source is missing, unreadable or empty
     */
    Password read();

    /** The source for messages: {@code environment variable SQLSERVER_MONITOR_PASSWORD}, {@code file /etc/...}. */
    String describe();

    /** Reports on {@code key} when the source cannot be read on this node; reads nothing else. */
    void verify(String key, ProblemReporter problems);
}
