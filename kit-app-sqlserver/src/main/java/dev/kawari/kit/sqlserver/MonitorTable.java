package dev.kawari.kit.sqlserver;

import dev.kawari.spi.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Level 3's table: one row per monitor, keyed by {@code node:service/monitor}, whose token each check
 * overwrites with a fresh one and reads back. Created when missing.
 *
 * @param name {@code table}, {@code schema.table} or {@code database.schema.table}, each part a regular
 *     SQL Server identifier (checked, so the name can be written into statements safely)
 */
record MonitorTable(String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z_@#][A-Za-z0-9_@#$]{0,127}");

    MonitorTable {
        Objects.requireNonNull(name, "name");
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with {@code name}, or null. */
    static String problem(String name) {
        List<String> parts = Arrays.asList(name.split("\\.", -1));
        if (parts.size() > 3 || parts.stream().anyMatch(part -> !PART.matcher(part).matches())) {
            return "'" + name + "' must be table, schema.table or database.schema.table, each part a plain identifier"
                    + " (letters, digits, _ @ # $; not starting with a digit or $)";
        }
        return null;
    }

    /** The name with every part in brackets. */
    String quoted() {
        return Arrays.stream(name.split("\\.")).map(part -> "[" + part + "]").collect(Collectors.joining("."));
    }

    String createIfMissing() {
        return "IF OBJECT_ID(N'" + name + "', N'U') IS NULL CREATE TABLE " + quoted()
                + " (monitor NVARCHAR(200) NOT NULL PRIMARY KEY, token CHAR(36) NOT NULL, written_at DATETIME2 NOT NULL)";
    }

    String upsert() {
        return "UPDATE " + quoted() + " SET token = ?, written_at = SYSUTCDATETIME() WHERE monitor = ?;"
                + " IF @@ROWCOUNT = 0 INSERT INTO " + quoted() + " (monitor, token, written_at)"
                + " VALUES (?, ?, SYSUTCDATETIME())";
    }

    String readBack() {
        return "SELECT token FROM " + quoted() + " WHERE monitor = ?";
    }

    /** Creates the table if needed, writes a fresh token for {@code key} and reads it back. */
    CheckResult writeAndReadBack(Connection connection, String key, Duration queryTimeout, String server)
            throws SQLException {
        int seconds = (int) SqlServerConnector.wholeSeconds(queryTimeout);
        String token = UUID.randomUUID().toString();
        try (Statement create = connection.createStatement()) {
            create.setQueryTimeout(seconds);
            create.execute(createIfMissing());
        }
        try (PreparedStatement write = connection.prepareStatement(upsert())) {
            write.setQueryTimeout(seconds);
            write.setString(1, token);
            write.setString(2, key);
            write.setString(3, key);
            write.setString(4, token);
            write.execute();
        }
        try (PreparedStatement read = connection.prepareStatement(readBack())) {
            read.setQueryTimeout(seconds);
            read.setString(1, key);
            try (ResultSet rows = read.executeQuery()) {
                String readToken = rows.next() ? rows.getString(1) : null;
                if (!token.equals(readToken)) {
                    return CheckResult.unhealthy("on " + server + " the row written to " + name + " read back as "
                            + (readToken == null ? "missing" : "another value") + ": writes are not kept");
                }
            }
        }
        return CheckResult.healthy();
    }
}
