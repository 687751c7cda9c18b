package dev.kawari.kit.sqlserver;

import com.typesafe.config.Config;
import dev.kawari.app.PasswordSources;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Monitor type {@code sqlserver}. Keys: {@code url} (JDBC, required); {@code user} with one of {@code
 * password-env} (an environment variable's name), {@code password-file} (an absolute path) or {@code
 * password-secret-id} (an AWS Secrets Manager secret, with {@code password-secret-json-key} for a JSON
 * secret; see {@link PasswordSources}); {@code
 * level} (1 to 3, default 1); {@code databases} (required from level 2: each must be ONLINE); {@code
 * monitor-table} (level 3's table, default {@code dbo.kawari_monitor}, created when missing); {@code
 * login-timeout} and {@code query-timeout} (default 5s each, both cut short by the monitor's {@code
 * timeout}). {@code password} is declared only to be rejected (and is secret, so its value is redacted).
 */
public final class SqlServerMonitorType implements MonitorType {
    static final String DEFAULT_MONITOR_TABLE = "dbo.kawari_monitor";

    private final PasswordSources passwords;

    /** The type as the kit contributes it: passwords from the agent's real environment. */
    public SqlServerMonitorType() {
        this(System::getenv);
    }

    /** A type reading environment variables through {@code environment} (tests). */
    SqlServerMonitorType(UnaryOperator<String> environment) {
        this.passwords = SqlServerBlock.passwords(Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public String id() {
        return "sqlserver";
    }

    @Override
    public String description() {
        return "level 1 login and SELECT 1, 2 also databases ONLINE, 3 also a row written and read back; a refused"
                + " login is a configuration problem, never a failover";
    }

    /** {@code password} is declared only to be rejected; {@code url} in case a password was put in it. */
    @Override
    public Set<String> secretKeys() {
        return Set.of(passwords.writtenKey(), "url");
    }

    /** {@code secretsmanager:GetSecretValue} when the password is in Secrets Manager. */
    @Override
    public Set<String> iamActions(Config config) {
        return passwords.iamActions(config);
    }

    /** Validates the block and builds the monitor; touches nothing. Returns null after reporting problems. */
    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        SqlServerBlock block = new SqlServerBlock(definition.config(), context);
        Optional<SqlServerLogin> login = block.login(passwords);
        Optional<Integer> level = block.integer("level", 1, 3);
        Optional<List<String>> databases = block.stringList("databases");
        Optional<String> table = block.requiredString("monitor-table", "the table level 3 writes to, such as kawari_monitor");
        Optional<Duration> queryTimeout = block.positiveDuration("query-timeout");
        if (level.isPresent() && databases.isPresent()) {
            if (level.get() >= 2 && databases.get().isEmpty()) {
                block.problem("databases", "level " + level.get() + " checks that databases are ONLINE: list them,"
                        + " such as databases = [\"sales\"], or use level 1");
            } else if (level.get() == 1 && !databases.get().isEmpty()) {
                block.problem("databases", "'databases' are checked from level 2 on; set level = 2 (or 3), or remove"
                        + " them");
            }
        }
        if (table.isPresent() && MonitorTable.problem(table.get()) != null) {
            block.problem("monitor-table", "'monitor-table' " + MonitorTable.problem(table.get()));
        }
        if (block.reportedProblems()) {
            login.ifPresent(SqlServerLogin::close);
            return null;
        }
        SqlServerProbe probe = new SqlServerProbe(new SqlServerConnector(login.orElseThrow()), level.orElseThrow(),
                databases.orElseThrow(), new MonitorTable(table.orElseThrow()), queryTimeout.orElseThrow());
        return new SqlServerMonitor(probe);
    }
}
