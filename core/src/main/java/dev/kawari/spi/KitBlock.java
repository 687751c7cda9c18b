package dev.kawari.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the keys of a kit's block while it is validated, and reports every bad value to the
 * {@link ProblemReporter} at its key instead of throwing at the first one, so that the operator sees
 * all problems of a file at once. A getter returns empty (or its fallback) after reporting;
 * {@link #reportedProblems()} tells whether any read reported. Kits wrap it for their own value
 * kinds (an AWS id, an LDAP DN) and report through {@link #problem(String, String)}.
 *
 * <p>Conventions shared by every kit: durations need a unit (HOCON reads a bare number as
 * milliseconds, so {@code timeout = 60} would allow sixty milliseconds); commands are argument
 * vectors, never strings for a shell; paths are absolute, since a relative one would depend on
 * where the agent was started.
 */
public final class KitBlock {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");
    private static final String DURATION_EXAMPLES = "use a HOCON duration such as 60s, 500ms or 2m";

    private final Config block;
    private final ProblemReporter problems;
    private int reported;

    public KitBlock(Config block, ProblemReporter problems) {
        this.block = Objects.requireNonNull(block, "block");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** The block as the kit sees it: its own keys over its {@code reference.conf} defaults. */
    public Config config() {
        return block;
    }

    /** Whether any read, or any call of {@link #problem}, reported a problem. */
    public boolean reportedProblems() {
        return reported > 0;
    }

    /** Reports a problem at {@code key} (see {@link ProblemReporter#problem}). */
    public void problem(String key, String message) {
        reported++;
        problems.problem(key, message);
    }

    /** Whether {@code key} has a value other than {@code null}. */
    public boolean has(String key) {
        return value(key).isPresent();
    }

    /** The value of {@code key}, or empty when it is absent or {@code null} (or the path is malformed). */
    public Optional<ConfigValue> value(String key) {
        try {
            if (!block.hasPathOrNull(key) || block.getIsNull(key)) {
                return Optional.empty();
            }
            return Optional.of(block.getValue(key));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** Every key at the top of the block. */
    public List<String> keys() {
        return new ArrayList<>(block.root().keySet());
    }

    /** A non-empty string (numbers count as their text); reports when absent, saying it is {@code what}. */
    public Optional<String> requiredString(String key, String what) {
        if (!has(key)) {
            problem(key, "missing required key '" + key + "': " + what);
            return Optional.empty();
        }
        return optionalString(key);
    }

    /** A non-empty string (numbers count as their text), or empty when absent. */
    public Optional<String> optionalString(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().valueType() != ConfigValueType.STRING && value.get().valueType() != ConfigValueType.NUMBER) {
            problem(key, "expected a string for '" + key + "', got " + kind(value.get()));
            return Optional.empty();
        }
        String text = String.valueOf(value.get().unwrapped()).trim();
        if (text.isEmpty()) {
            problem(key, "'" + key + "' must not be empty");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** {@code true} or {@code false}, or empty when absent or not a boolean (reported). */
    public Optional<Boolean> optionalBool(String key) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().valueType() != ConfigValueType.BOOLEAN) {
            problem(key, "expected true or false for '" + key + "', got " + kind(value.get())
                    + (value.get().valueType() == ConfigValueType.STRING ? " '" + value.get().unwrapped() + "'" : ""));
            return Optional.empty();
        }
        return Optional.of((Boolean) value.get().unwrapped());
    }

    /** A boolean; {@code fallback} when absent or not a boolean (reported). */
    public boolean bool(String key, boolean fallback) {
        return optionalBool(key).orElse(fallback);
    }

    /** A required duration above zero, written with a unit; empty when absent or bad (reported). */
    public Optional<Duration> positiveDuration(String key) {
        if (!has(key)) {
            problem(key, "'" + key + "' must be a duration such as 60s");
            return Optional.empty();
        }
        return duration(key);
    }

    /** A duration above zero, written with a unit; {@code fallback} when absent or bad (reported). */
    public Duration positiveDuration(String key, Duration fallback) {
        return has(key) ? duration(key).orElse(fallback) : fallback;
    }

    private Optional<Duration> duration(String key) {
        ConfigValue value = block.getValue(key);
        if (!isScalar(value) || value.valueType() == ConfigValueType.BOOLEAN) {
            problem(key, "'" + key + "' must be a duration such as 60s, not " + kind(value));
            return Optional.empty();
        }
        String text = String.valueOf(value.unwrapped());
        if (BARE_NUMBER.matcher(text).matches()) {
            problem(key, "'" + key + "' = " + text + " has no unit (it would mean milliseconds): " + DURATION_EXAMPLES);
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = block.getDuration(key);
        } catch (ConfigException e) {
            problem(key, "'" + key + "' is not a duration ('" + text + "'): " + DURATION_EXAMPLES);
            return Optional.empty();
        }
        if (duration.isNegative() || duration.isZero()) {
            problem(key, "'" + key + "' must be greater than 0, got " + text);
            return Optional.empty();
        }
        return Optional.of(duration);
    }

    /** A whole number from {@code min} to {@code max}, or empty when absent or out of range (reported). */
    public Optional<Integer> integer(String key, int min, int max) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get().unwrapped() instanceof Integer number) || number < min || number > max) {
            problem(key, "'" + key + "' must be a whole number from " + min + " to " + max + ", got "
                    + (value.get().valueType() == ConfigValueType.NUMBER ? value.get().unwrapped() : kind(value.get())));
            return Optional.empty();
        }
        return Optional.of(number);
    }

    /** A list of non-blank strings; an empty list when absent, empty when bad (reported). */
    public Optional<List<String>> stringList(String key, String example) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!(value.get() instanceof ConfigList list)) {
            problem(key, "'" + key + "' must be a list of strings such as " + example + ", not " + kind(value.get()));
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING || ((String) element.unwrapped()).isBlank()) {
                problem(key, "'" + key + "' must be a list of non-empty strings such as " + example);
                return Optional.empty();
            }
            strings.add((String) element.unwrapped());
        }
        return Optional.of(List.copyOf(strings));
    }

    /**
     * An argument vector: a non-empty list of strings (numbers and booleans count as their written
     * text) whose first element, the program, is not blank. A string is refused with the vector it
     * probably meant, since Kawari never runs a shell.
     *
     * @param example an argument vector for this key, shown in messages
     */
    public Optional<List<String>> argumentVector(String key, boolean required, List<String> example) {
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
            case LIST -> arguments(key, (ConfigList) value.get(), shown);
            case OBJECT, NUMBER, BOOLEAN, NULL -> {
                problem(key, "'" + key + "' must be an argument vector such as " + shown + ", not " + kind(value.get()));
                yield Optional.empty();
            }
        };
    }

    private Optional<List<String>> arguments(String key, ConfigList list, String shown) {
        if (list.isEmpty()) {
            problem(key, "'" + key + "' must not be empty: name the program and its arguments, such as " + shown);
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
            argv = block.getStringList(key); // keeps the written text of numbers ("1.50")
        } catch (ConfigException e) {
            problem(key, "'" + key + "' must be a list of strings: " + e.getMessage());
            return Optional.empty();
        }
        if (argv.get(0).isBlank()) {
            problem(key, "the program, the first element of '" + key + "', must not be empty");
            return Optional.empty();
        }
        return Optional.of(List.copyOf(argv));
    }

    /** Whether {@code key} is an object; reports a problem naming {@code example} when it is anything else. */
    public boolean isObject(String key, String example) {
        Optional<ConfigValue> value = value(key);
        if (value.isPresent() && value.get() instanceof ConfigObject) {
            return true;
        }
        problem(key, "'" + key + "' must be an object such as " + example + ", not "
                + value.map(KitBlock::kind).orElse("null"));
        return false;
    }

    /**
     * Environment variables: an object of names to strings (numbers and booleans count as their
     * text); an empty map when absent.
     */
    public Optional<Map<String, String>> environment(String key) {
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

    /**
     * An absolute path, or empty when absent or invalid (reported).
     *
     * @param what what the path names, for messages: "an absolute directory"
     */
    public Optional<Path> absolutePath(String key, String what) {
        Optional<ConfigValue> value = value(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().valueType() != ConfigValueType.STRING) {
            problem(key, "'" + key + "' must be a string naming " + what + ", not " + kind(value.get()));
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
            problem(key, "'" + key + "' must be an absolute path, got '" + text + "'");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** "a string", "a list", … for messages that say what was found instead. */
    public static String kind(ConfigValue value) {
        return switch (value.valueType()) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    private static boolean isScalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> true;
            case OBJECT, LIST, NULL -> false;
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
