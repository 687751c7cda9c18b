package dev.kawari.kit.ldap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import dev.kawari.spi.KitContext;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code ldap-server} or {@code ldap} block being validated: every read reports its problems
 * through the {@link KitContext} and returns empty after one, so that the operator sees every
 * problem at once; {@link #reportedProblems()} says whether any read did.
 */
final class LdapBlock {
    static final String ARGUMENT_VECTOR_EXAMPLE = "[\"systemctl\", \"start\", \"slapd\"]";
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");

    private final Config config;
    private final KitContext context;
    private int problems;

    LdapBlock(Config config, KitContext context) {
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

    Optional<LdapUrl> url(String key) {
        Optional<String> text = string(key, true);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LdapUrl.parse(text.get()));
        } catch (IllegalArgumentException e) {
            problem(key, "'" + key + "': " + e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Boolean> bool(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty() || value.get().valueType() != ConfigValueType.BOOLEAN) {
            problem(key, "'" + key + "' must be true or false");
            return Optional.empty();
        }
        return Optional.of((Boolean) value.get().unwrapped());
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

    /** An optional distinguished name, checked for syntax. */
    Optional<DN> dn(String key) {
        return string(key, false).flatMap(text -> parseDn(key, text));
    }

    /** A list of distinguished names; empty when absent. */
    Optional<List<DN>> dnList(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!(value.get() instanceof ConfigList list)) {
            problem(key, "'" + key + "' must be a list of DNs such as [\"dc=example,dc=com\"]");
            return Optional.empty();
        }
        List<DN> dns = new ArrayList<>();
        boolean sound = true;
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING) {
                problem(key, "'" + key + "' must be a list of DNs (strings) such as [\"dc=example,dc=com\"]");
                return Optional.empty();
            }
            Optional<DN> dn = parseDn(key, (String) element.unwrapped());
            if (dn.isPresent()) {
                dns.add(dn.get());
            } else {
                sound = false;
            }
        }
        return sound ? Optional.of(List.copyOf(dns)) : Optional.empty();
    }

    private Optional<DN> parseDn(String key, String text) {
        try {
            return Optional.of(new DN(text));
        } catch (LDAPException e) {
            problem(key, "'" + text + "' in '" + key + "' is not a valid DN: " + e.getExceptionMessage());
            return Optional.empty();
        }
    }

    /** An optional absolute file path. */
    Optional<Path> absolutePath(String key) {
        Optional<String> text = string(key, false);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(text.get());
            if (path.isAbsolute()) {
                return Optional.of(path);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        problem(key, "'" + key + "' must be an absolute path, got '" + text.get() + "'");
        return Optional.empty();
    }
}
