package dev.kawari.kit.sqlserver;

import com.typesafe.config.Config;
import dev.kawari.app.PasswordSources;
import dev.kawari.spi.KitBlock;
import dev.kawari.spi.KitContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One {@code sqlserver} resource or monitor block being validated: the shared {@link KitBlock}
 * readings plus the login keys both types share. Every read reports its problems at its key and
 * returns empty after one; {@link #reportedProblems()} says whether any read did.
 */
final class SqlServerBlock {
    static final List<String> ARGUMENT_VECTOR_EXAMPLE = List.of("systemctl", "start", "mssql-server");

    private final KitBlock block;
    private final KitContext context;

    SqlServerBlock(Config config, KitContext context) {
        this.block = new KitBlock(config, context);
        this.context = context;
    }

    boolean reportedProblems() {
        return block.reportedProblems();
    }

    void problem(String key, String message) {
        block.problem(key, message);
    }

    boolean isSet(String key) {
        return block.has(key);
    }

    /** A required argument vector. */
    Optional<List<String>> argumentVector(String key) {
        return block.argumentVector(key, true, ARGUMENT_VECTOR_EXAMPLE);
    }

    /** A required duration greater than zero, written with a unit. */
    Optional<Duration> positiveDuration(String key) {
        return block.positiveDuration(key);
    }

    /** A required whole number from {@code min} to {@code max}. */
    Optional<Integer> integer(String key, int min, int max) {
        if (!block.has(key)) {
            block.problem(key, "'" + key + "' must be a whole number from " + min + " to " + max);
            return Optional.empty();
        }
        return block.integer(key, min, max);
    }

    /** A required non-empty string; {@code what} says what it names, for the message when it is missing. */
    Optional<String> requiredString(String key, String what) {
        return block.requiredString(key, what);
    }

    /** A list of non-blank strings; empty when absent. */
    Optional<List<String>> stringList(String key) {
        return block.stringList(key, "[\"sales\", \"hr\"]");
    }

    /** The password keys of both types: {@code password-env}, {@code password-file}, {@code password-secret-id}. */
    static PasswordSources passwords(UnaryOperator<String> environment) {
        return new PasswordSources("password", SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE, environment);
    }

    /**
     * The login keys shared by the resource and the monitor: {@code url}, {@code user}, a password
     * source ({@link PasswordSources}), {@code login-timeout}. A Secrets Manager source it builds is
     * closed again when the block has problems.
     */
    Optional<SqlServerLogin> login(PasswordSources passwords) {
        Optional<SqlServerUrl> url = block.requiredString("url", "a SQL Server URL such as jdbc:sqlserver://127.0.0.1:1433").flatMap(text -> {
            String problem = SqlServerUrl.problem(text);
            if (problem != null) {
                problem("url", "'url' " + problem);
                return Optional.empty();
            }
            return Optional.of(new SqlServerUrl(text));
        });
        Optional<String> user = block.optionalString("user");
        Optional<PasswordSources.Setting> password = passwords.read(block.config(), "user", context, this::problem);
        Optional<Duration> loginTimeout = positiveDuration("login-timeout");
        if (reportedProblems()) {
            password.ifPresent(setting -> setting.source().close());
            return Optional.empty();
        }
        return Optional.of(new SqlServerLogin(url.orElseThrow(), user, password.map(PasswordSources.Setting::source),
                password.map(PasswordSources.Setting::key).orElse(passwords.envKey()), loginTimeout.orElseThrow()));
    }
}
