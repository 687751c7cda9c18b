package dev.kawari.kit.ldap;

import dev.kawari.app.Command;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code ldap-server} block.
 *
 * @param start brings the server up; must exit 0 (a daemon it leaves behind keeps running)
 * @param stop takes it down; must exit 0, also when the server is already down
 * @param url where the server answers when it is up
 * @param readyTimeout how long restore waits, from running {@code start}, for the server to answer, and
 *     remove, from running {@code stop}, for it to stop answering
 */
record LdapServerConfig(Command start, Command stop, LdapUrl url, Duration readyTimeout) {
    LdapServerConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("ready-timeout must be greater than 0: " + readyTimeout);
        }
    }
}
