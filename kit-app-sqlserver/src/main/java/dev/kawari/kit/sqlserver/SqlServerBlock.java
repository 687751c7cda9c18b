package dev.kawari.kit.sqlserver;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.app.PasswordSources;
import dev.kawari.spi.KitContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One {@code sqlserver} resource or monitor block being validated: every read reports its problems
 * through the {@link KitContext} and returns empty after one, so that the operator sees every
 * problem at once; {@link #reportedProblems()} says whether any read did.
 */
final class SqlServerBlock {
    static final String ARGUMENT_VECTOR_EXAMPLE = "[\"systemctl\", \"start\", \"mssql-server\"]";
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");

    private final Config config;
    private final KitContext context;
    private int problems;

    SqlServerBlock(Config config, KitContext context) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
    }

    boolean reportedProblems() {
        return problems > 0;
    }

    void problem(String key, String message) {
        problems++;
        context.problem(key, message);
    }

    boolean isSet(String key) {
        return config.hasPathOrNull(key) && !config.getIsNull(key);
    }

    private Optional<ConfigValue> value(String key) {
        return isSet(key) ? Optional.of(config.getValue(key)) : Optional.empty();
    }

    /** A required argument vector: a non-empty list of strings whose first element is not blank. */
    Optional<List<String>> argumentVector(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            problem(key, "'" + key + "' is required: an argument vector such as " + ARGUMENT_VECTOR_EXAMPLE);
            return Optional.empty();
        }
        if (value.get().valueType() == ConfigValueType.STRING) {
            problem(key, "'" + key + "' must be an argument vector (a list), not a string: Kawari runs commands"
                    + " without a shell; write it as " + ARGUMENT_VECTOR_EXAMPLE + " does");
            return Optional.empty();
        }
        if (!(value.get() instanceof ConfigList list) || list.isEmpty()) {
            problem(key, "'" + key + "' must be a non-empty argument vector such as " + ARGUMENT_VECTOR_EXAMPLE);
            return Optional.empty();
        }
        for (ConfigValue element : list) {
            if (element.valueType() == ConfigValueType.OBJECT || element.valueType() == ConfigValueType.LIST
                    || element.valueType() == ConfigValueType.NULL) {
                problem(key, "'" + key + "' must be a list of strings, such as " + ARGUMENT_VECTOR_EXAMPLE);
                return Optional.empty();
            }
        }
        List<String> argv = config.getStringList(key);
        if (argv.get(0).isBlank()) {
            problem(key, "the program, the first element of '" + key + "', must not be empty");
            return Optional.empty();
        }
        return Optional.of(argv);
    }

    /** A duration greater than zero, written with a unit. */
    Optional<Duration> positiveDuration(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            problem(key, "'" + key + "' must be a duration such as 60s");
            return Optional.empty();
        }
        String text = String.valueOf(value.get().unwrapped());
        if (value.get().valueType() == ConfigValueType.NUMBER || BARE_NUMBER.matcher(text).matches()) {
            problem(key, "'" + key + "' = " + text + " has no unit (it would mean milliseconds): use a duration such"
                    + " as 60s or 500ms");
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = config.getDuration(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, "'" + key + "' is not a duration ('" + text + "'): use one such as 60s, 500ms or 2m");
            return Optional.empty();
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(key, "'" + key + "' must be greater than 0, got " + text);
            return Optional.empty();
        }
        return Optional.of(duration);
    }

    /** An integer from {@code min} to {@code max}. */
    Optional<Integer> integer(String key, int min, int max) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty() || value.get().valueType() != ConfigValueType.NUMBER
                || !(value.get().unwrapped() instanceof Integer number) || number < min || number > max) {
            problem(key, "'" + key + "' must be a whole number from " + min + " to " + max);
            return Optional.empty();
        }
        return Optional.of((Integer) value.get().unwrapped());
    }

    /** A list of non-blank strings; empty when absent. */
    Optional<List<String>> stringList(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!(value.get() instanceof ConfigList list)) {
            problem(key, "'" + key + "' must be a list of strings such as [\"sales\", \"hr\"]");
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING || ((String) element.unwrapped()).isBlank()) {
                problem(key, "'" + key + "' must be a list of non-empty strings such as [\"sales\", \"hr\"]");
                return Optional.empty();
            }
            strings.add((String) element.unwrapped());
        }
        return Optional.of(List.copyOf(strings));
    }

    /** A string; empty when absent (a problem only if {@code required}) or not a string. */
    Optional<String> string(String key, boolean required) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            if (required) {
                problem(key, "'" + key + "' is required");
            }
            return Optional.empty();
        }
        if (value.get().valueType() != ConfigValueType.STRING || ((String) value.get().unwrapped()).isBlank()) {
            problem(key, "'" + key + "' must be a non-empty string");
            return Optional.empty();
        }
        return Optional.of((String) value.get().unwrapped());
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
        Optional<SqlServerUrl> url = string("url", true).flatMap(text -> {
            String problem = SqlServerUrl.problem(text);
            if (problem != null) {
                problem("url", "'url' " + problem);
                return Optional.empty();
            }
            return Optional.of(new SqlServerUrl(text));
        });
        Optional<String> user = string("user", false);
        Optional<PasswordSources.Setting> password = passwords.read(config, "user", context, this::problem);
        Optional<Duration> loginTimeout = positiveDuration("login-timeout");
        if (reportedProblems()) {
            password.ifPresent(setting -> setting.source().close());
            return Optional.empty();
        }
        return Optional.of(new SqlServerLogin(url.orElseThrow(), user, password.map(PasswordSources.Setting::source),
                password.map(PasswordSources.Setting::key).orElse(passwords.envKey()), loginTimeout.orElseThrow()));
    }
}
