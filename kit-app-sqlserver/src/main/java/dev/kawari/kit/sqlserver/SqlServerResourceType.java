package dev.kawari.kit.sqlserver;

import com.typesafe.config.Config;
import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.app.PasswordSources;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Resource type {@code sqlserver}: keys {@code start}, {@code stop} (argument vectors, required), {@code
 * ready-timeout} (default 2m), and the login that proves readiness: {@code url} (JDBC, required), {@code
 * user} with one of {@code password-env} / {@code password-file} / {@code password-secret-id}, {@code
 * login-timeout} (default 5s).
 * See {@link SqlServerResource} for what the actions do.
 */
public final class SqlServerResourceType implements ResourceType {
    private final PasswordSources passwords;

    /** The type as the kit contributes it: passwords from the agent's real environment. */
    public SqlServerResourceType() {
        this(System::getenv);
    }

    /** A type reading environment variables through {@code environment} (tests). */
    SqlServerResourceType(UnaryOperator<String> environment) {
        this.passwords = SqlServerBlock.passwords(Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public String id() {
        return "sqlserver";
    }

    @Override
    public String description() {
        return "SQL Server started and stopped by commands (mssql-server, a Windows service); restore waits until a"
                + " login succeeds";
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

    /** Validates the block and builds the resource; touches nothing. Returns null after reporting problems. */
    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        SqlServerBlock block = new SqlServerBlock(definition.config(), context);
        Optional<List<String>> start = block.argumentVector("start");
        Optional<List<String>> stop = block.argumentVector("stop");
        Optional<Duration> readyTimeout = block.positiveDuration("ready-timeout");
        Optional<SqlServerLogin> login = block.login(passwords);
        if (block.reportedProblems()) {
            login.ifPresent(SqlServerLogin::close);
            return null;
        }
        SqlServerResourceConfig config = new SqlServerResourceConfig(Command.of(start.orElseThrow()),
                Command.of(stop.orElseThrow()), login.orElseThrow(), readyTimeout.orElseThrow());
        SqlServerProbe probe = new SqlServerProbe(new SqlServerConnector(config.login()), 1, List.of(),
                new MonitorTable(SqlServerMonitorType.DEFAULT_MONITOR_TABLE), config.login().loginTimeout());
        return new SqlServerResource(config, probe, new CommandRunner(SqlServerKit.COMMAND_ERRORS));
    }
}
