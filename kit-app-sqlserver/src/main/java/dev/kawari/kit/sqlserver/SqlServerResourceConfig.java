package dev.kawari.kit.sqlserver;

import dev.kawari.app.Command;
import java.time.Duration;
import java.util.Objects;

/**
 * A validated {@code sqlserver} resource block.
 *
 * @param start starts SQL Server ({@code systemctl start mssql-server}, {@code sc start MSSQLSERVER});
 *     must exit 0, also when it already runs
 * @param stop stops it; must exit 0, also when it is already stopped
 * @param login how readiness is probed: a login and {@code SELECT 1}
 * @param readyTimeout how long restore waits, from running {@code start}, for a login to succeed, and
 *     remove, from running {@code stop}, for logins to stop succeeding
 */
record SqlServerResourceConfig(Command start, Command stop, SqlServerLogin login, Duration readyTimeout) {
    SqlServerResourceConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
    }
}
