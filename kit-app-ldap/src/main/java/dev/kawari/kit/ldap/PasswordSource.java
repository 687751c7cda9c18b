package dev.kawari.kit.ldap;

import dev.kawari.spi.ProblemReporter;

/**
 * Where a password is read, never the password itself: the configuration names the source, and the
 * password is read afresh for every check, so that a rotated password is picked up without a restart.
 *
 * <p>Implementations never put the password in a message, an exception or {@code toString()}.
 */
interface PasswordSource {

    /**
     * Reads the password.
     *
     * @throws dev.kawari.spi.KawariException {@link LdapKit#LDAP_PASSWORD_UNAVAILABLE} (CONFIGURATION)
     *     when the source is missing, unreadable or empty
     */
    Password read();

    /** The source for messages: {@code environment variable LDAP_MONITOR_PASSWORD}, {@code file /etc/...}. */
    String describe();

    /** Reports on {@code key} when the source cannot be read on this node; reads nothing else. */
    void verify(String key, ProblemReporter problems);
}
