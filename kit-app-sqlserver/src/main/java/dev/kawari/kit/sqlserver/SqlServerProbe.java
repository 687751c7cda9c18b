package dev.kawari.kit.sqlserver;

import dev.kawari.app.ReadinessWait;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One check of SQL Server at a level: 1 = log in and {@code SELECT 1}; 2 = also every configured
 * database ONLINE; 3 = also a row written to and read back from the monitor table. Bounded by the
 * context's deadline; see {@link SqlServerFailure} for what failures mean.
 *
 * @param connector how to log in
 * @param level 1 to 3
 * @param databases level 2's databases; copied
 * @param table level 3's table
 * @param queryTimeout the longest one statement may take
 */
record SqlServerProbe(SqlServerConnector connector, int level, List<String> databases, MonitorTable table,
        Duration queryTimeout) implements ReadinessWait.Probe {
    SqlServerProbe {
        Objects.requireNonNull(connector, "connector");
        databases = List.copyOf(databases);
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (level < 1 || level > 3) {
            throw new IllegalArgumentException("level must be 1, 2 or 3: " + level);
        }
    }

    /**
     * Runs the check.
     *
     * @throws InterruptedException if the thread is interrupted
     * @throws dev.kawari.spi.KawariException a CONFIGURATION one for a configuration problem
     */
    CheckResult check(OperationContext context) throws InterruptedException {
        SqlServerLogin login = connector.login();
        String server = login.url().server();
        String[] step = {"logging in as " + login.who()};
        Optional<CheckResult> result;
        try {
            result = connector.withConnection(context, queryTimeout, (connection, timeout) -> {
                step[0] = "running SELECT 1";
                CheckResult answer = selectOne(connection, timeout, server);
                if (level >= 2 && answer.status() == CheckResult.Status.HEALTHY) {
                    step[0] = "reading sys.databases";
                    answer = DatabaseStates.verdict(databases, states(connection, timeout), server);
                }
                if (level >= 3 && answer.status() == CheckResult.Status.HEALTHY) {
                    step[0] = "writing to " + table.name();
                    answer = table.writeAndReadBack(connection, key(context), timeout, server);
                }
                return answer;
            });
        } catch (SQLException e) {
            return SqlServerFailure.answer(e, step[0], login);
        } catch (KawariException e) {
            if (e.type() == ErrorType.EXTERNAL && e.retryable()) {
                return CheckResult.unknown("could not read the password now, so " + server + " was not asked: "
                        + e.getMessage());
            }
            throw e;
        }
        return result.orElseGet(() -> CheckResult.unhealthy("no answer from " + server + " within "
                + (step[0].startsWith("logging in")
                        ? SqlServerConnector.cap(login.loginTimeout(), context.deadline().budget()).toMillis()
                        : context.deadline().budget().toMillis()) + " ms while " + step[0]));
    }

    /**
     * The check as a readiness probe: Healthy means SQL Server accepts logins, Unhealthy that it does
     * not; Unknown (the password could not be read now) proves neither.
     */
    @Override
    public ReadinessWait.Answer probe(OperationContext within) throws InterruptedException {
        CheckResult result = check(within);
        return switch (result.status()) {
            case HEALTHY -> ReadinessWait.Answer.answers("login and SELECT 1 succeeded");
            case UNHEALTHY -> ReadinessWait.Answer.silent(result.reason());
            case UNKNOWN -> ReadinessWait.Answer.undecided(result.reason());
        };
    }

    private static CheckResult selectOne(Connection connection, Duration timeout, String server) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) SqlServerConnector.wholeSeconds(timeout));
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                if (rows.next() && rows.getInt(1) == 1) {
                    return CheckResult.healthy();
                }
                return CheckResult.unhealthy("SELECT 1 on " + server + " did not return 1");
            }
        }
    }

    private Map<String, String> states(Connection connection, Duration timeout) throws SQLException {
        Map<String, String> found = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(DatabaseStates.query(databases.size()))) {
            query.setQueryTimeout((int) SqlServerConnector.wholeSeconds(timeout));
            for (int i = 0; i < databases.size(); i++) {
                query.setString(i + 1, databases.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return found;
    }

    /** The monitor table's row of this monitor on this node. */
    static String key(OperationContext context) {
        return context.node().name() + ":" + context.service() + "/" + context.subject();
    }
}
