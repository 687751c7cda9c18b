package dev.kawari.kit.exec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.spi.KitContext;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code exec} block being validated: reads its values and reports every problem through the
 * {@link KitContext}, so that the operator sees them all at once. Every read returns empty after
 * reporting a problem, and {@link #reportedProblems()} says whether any read did.
 */
final class ExecBlock {

    // HOCON reads a bare number as milliseconds: "start = 60" would allow sixty milliseconds.
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");
    private static final String DURATION_EXAMPLES = "use a HOCON duration such as 60s, 500ms or 2m";

    private final Config config;
    private final KitContext context;
    private int problems;

    ExecBlock(Config config, KitContext context) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = Objects.requireNonNull(context, "context");
    }

    boolean reportedProblems() {
        return problems > 0;
    }

    private void problem(String key, String message) {
        problems++;
        context.problem(key, message);
    }

    private Optional<ConfigValue> value(String key) {
        if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
            return Optional.empty();
        }
        return Optional.of(config.getValue(key));
    }

    /**
     * An argument vector: a non-empty list of strings (numbers and booleans count as their text),
     * whose first element, the program, is not blank.
     *
     * @param example an argument vector for this key, shown in messages
     */
    Optional<List<String>> argumentVector(String key, boolean required, List<String> example) {
        String shown = render(example);
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            if (required) {
                problem(key, "'" + key + "' is required: an argument vector such as " + shown);
            }
            return Optional.empty();
        }
        return switch (value.get().valueType()) {
            case STRING -> {
                problem(key, "'" + key + "' must be an argument vector (a list), not a string: Kawari runs commands"
                        + " without a shell; write " + asVector(String.valueOf(value.get().unwrapped()), shown));
                yield Optional.empty();
            }
            case LIST -> elements(key, (ConfigList) value.get(), shown);
            case OBJECT, NUMBER, BOOLEAN, NULL -> {
                problem(key, "'" + key + "' must be an argument vector such as " + shown + ", not "
                        + kind(value.get()));
                yield Optional.empty();
            }
        };
    }

    private Optional<List<String>> elements(String key, ConfigList list, String shown) {
        if (list.isEmpty()) {
            problem(key, "'" + key + "' must not be empty: name the program and its arguments, such as "
                    + shown);
            return Optional.empty();
        }
        boolean sound = true;
        for (int i = 0; i < list.size(); i++) {
            if (!isScalar(list.get(i))) {
                problem(key, "'" + key + "' must be a list of strings, but element " + i + " is " + kind(list.get(i)));
                sound = false;
            }
        }
        if (!sound) {
            return Optional.empty();
        }
        List<String> argv;
        try {
            argv = config.getStringList(key); // keeps the written text of numbers ("1.50")
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, "'" + key + "' must be a list of strings: " + e.getMessage());
            return Optional.empty();
        }
        if (argv.get(0).isBlank()) {
            problem(key, "the program, the first element of '" + key + "', must not be empty");
            return Optional.empty();
        }
        return Optional.of(List.copyOf(argv));
    }

    /** A duration greater than zero, with a unit. */
    Optional<Duration> positiveDuration(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            problem(key, "'" + key + "' must be a duration such as 60s");
            return Optional.empty();
        }
        if (!isScalar(value.get()) || value.get().valueType() == ConfigValueType.BOOLEAN) {
            problem(key, "'" + key + "' must be a duration such as 60s, not " + kind(value.get()));
            return Optional.empty();
        }
        String text = String.valueOf(value.get().unwrapped());
        if (BARE_NUMBER.matcher(text).matches()) {
            problem(key, "'" + key + "' = " + text + " has no unit (it would mean milliseconds): " + DURATION_EXAMPLES);
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = config.getDuration(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            problem(key, "'" + key + "' is not a duration ('" + text + "'): " + DURATION_EXAMPLES);
            return Optional.empty();
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(key, "'" + key + "' must be greater than 0, got " + text);
            return Optional.empty();
        }
        return Optional.of(duration);
    }

    /** Whether {@code key} is an object; reports a problem naming {@code example} when it is set to anything else. */
    boolean isObject(String key, String example) {
        Optional<ConfigValue> value = value(key);
        if (value.isPresent() && value.get() instanceof ConfigObject) {
            return true;
        }
        problem(key, "'" + key + "' must be an object such as " + example + ", not "
                + value.map(ExecBlock::kind).orElse("null"));
        return false;
    }

    /**
     * Environment variables: an object of names to strings (numbers and booleans count as their
     * text); empty when absent.
     */
    Optional<Map<String, String>> environment(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.of(Map.of());
        }
        if (!(value.get() instanceof ConfigObject object)) {
            problem(key, "'" + key + "' must be an object of variable names to strings, such as { LANG = C }, not "
                    + kind(value.get()));
            return Optional.empty();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        boolean sound = true;
        // Sorted: an object's entries come in no particular order, and problems should not shuffle.
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
            String name = entry.getKey();
            String path = ConfigUtil.joinPath(key, name);
            if (name.isEmpty() || name.contains("=") || name.indexOf('\0') >= 0) {
                problem(path, "environment variable name '" + name + "' in '" + key + "' must not be empty or contain"
                        + " '=' or NUL");
                sound = false;
            } else if (entry.getValue() instanceof ConfigObject) {
                problem(path, "the value of environment variable '" + name + "' in '" + key + "' must be a string,"
                        + " not an object; quote a name that contains dots: \"" + name + ".…\" = \"…\"");
                sound = false;
            } else if (!isScalar(entry.getValue())) {
                problem(path, "the value of environment variable '" + name + "' in '" + key + "' must be a string,"
                        + " not " + kind(entry.getValue()));
                sound = false;
            } else {
                // Read through a one-key config so that numbers keep their written text.
                variables.put(name, ConfigFactory.empty().withValue("v", entry.getValue()).getString("v"));
            }
        }
        return sound ? Optional.of(variables) : Optional.empty();
    }

    /** An absolute directory path, or empty when absent or invalid (see {@link #reportedProblems()}). */
    Optional<Path> directory(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().valueType() != ConfigValueType.STRING) {
            problem(key, "'" + key + "' must be a string naming an absolute directory, not " + kind(value.get()));
            return Optional.empty();
        }
        String text = (String) value.get().unwrapped();
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            problem(key, "'" + key + "' is not a valid path: " + e.getMessage());
            return Optional.empty();
        }
        if (text.isBlank() || !path.isAbsolute()) {
            // A relative directory would depend on where the agent happened to be started.
            problem(key, "'" + key + "' must be an absolute path, got '" + text + "'");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    private static boolean isScalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> true;
            case OBJECT, LIST, NULL -> false;
        };
    }

    private static String kind(ConfigValue value) {
        return switch (value.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    /** How a command line written as one string looks as an argument vector, to show in a message. */
    private static String asVector(String commandLine, String fallback) {
        String trimmed = commandLine.trim();
        return trimmed.isEmpty() ? fallback : render(List.of(trimmed.split("\\s+")));
    }

    private static String render(List<String> argv) {
        return argv.stream().map(word -> "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
