package dev.kawari.aws;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the keys of a kit's block and reports every bad value to the {@link ProblemReporter} at its
 * key, instead of throwing at the first one, so an operator sees all problems of a block at once.
 * Each getter returns empty (or the fallback) for a bad value.
 */
public final class BlockReader {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?[0-9]*\\.?[0-9]+\\s*");

    private final Config block;
    private final ProblemReporter problems;

    public BlockReader(Config block, ProblemReporter problems) {
        this.block = Objects.requireNonNull(block, "block");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Whether {@code key} has a value other than {@code null}. */
    public boolean has(String key) {
        try {
            return block.hasPath(key);
        } catch (ConfigException e) {
            return false;
        }
    }

    /** The value of {@code key} as a non-empty string (numbers read as text); reports when absent. */
    public Optional<String> requiredString(String key, String what) {
        if (!has(key)) {
            problems.problem(key, "missing required key '" + key + "': " + what);
            return Optional.empty();
        }
        return optionalString(key);
    }

    /** The value of {@code key} as a non-empty string, or empty when absent. */
    public Optional<String> optionalString(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        ConfigValue value = block.getValue(key);
        if (value.valueType() != ConfigValueType.STRING && value.valueType() != ConfigValueType.NUMBER) {
            problems.problem(key, "expected a string for '" + key + "', got " + kind(value));
            return Optional.empty();
        }
        String text = String.valueOf(value.unwrapped()).trim();
        if (text.isEmpty()) {
            problems.problem(key, "'" + key + "' must not be empty");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** An AWS id such as {@code vpc-0abc…} of {@code prefix}, or empty when absent or malformed (reported). */
    public Optional<String> optionalId(String key, String prefix) {
        return optionalString(key).filter(id -> checkId(key, id, prefix));
    }

    /** An IPv4 address, or empty when absent or malformed (reported). */
    public Optional<Ipv4Address> optionalAddress(String key) {
        return optionalString(key).flatMap(text -> {
            Optional<Ipv4Address> address = Ipv4Address.parse(text);
            if (address.isEmpty()) {
                problems.problem(key, "'" + key + "' must be an IPv4 address such as 198.51.100.10, got '" + text + "'");
                return Optional.empty();
            }
            if (!address.get().isUnicastHost()) {
                problems.problem(key, "'" + key + "' must be a unicast host address, not " + text);
                return Optional.empty();
            }
            return address;
        });
    }

    /** A list of AWS ids of {@code prefix}: non-empty, each well-formed, none twice; empty when bad (reported). */
    public Optional<List<String>> ids(String key, String prefix) {
        ConfigValue value = block.getValue(key);
        if (!(value instanceof ConfigList list)) {
            problems.problem(key, "expected a list of " + prefix + "… ids for '" + key + "', got " + kind(value));
            return Optional.empty();
        }
        if (list.isEmpty()) {
            problems.problem(key, "'" + key + "' must name at least one " + prefix + "… id");
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        boolean sound = true;
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING) {
                problems.problem(key, "expected " + prefix + "… ids in '" + key + "', got " + kind(element));
                sound = false;
                continue;
            }
            String id = ((String) element.unwrapped()).trim();
            if (!checkId(key, id, prefix)) {
                sound = false;
            } else if (!ids.add(id)) {
                problems.problem(key, "'" + key + "' lists " + id + " more than once");
                sound = false;
            }
        }
        return sound ? Optional.of(List.copyOf(ids)) : Optional.empty();
    }

    /**
     * An optional argument vector: a non-empty list of strings whose first element, the program, is
     * not blank; empty when absent or bad (reported). A string is refused with the list it should be,
     * since Kawari runs commands without a shell.
     *
     * @param example an argument vector for this key, shown in messages
     */
    public Optional<List<String>> optionalCommand(String key, List<String> example) {
        if (!has(key)) {
            return Optional.empty();
        }
        ConfigValue value = block.getValue(key);
        String shown = render(example);
        if (value.valueType() == ConfigValueType.STRING) {
            String text = String.valueOf(value.unwrapped()).trim();
            String asVector = text.isEmpty() ? shown : render(List.of(text.split("\\s+")));
            problems.problem(key, "'" + key + "' must be an argument vector (a list), not a string: Kawari runs"
                    + " commands without a shell; write " + asVector);
            return Optional.empty();
        }
        if (!(value instanceof ConfigList list)) {
            problems.problem(key, "'" + key + "' must be an argument vector such as " + shown + ", not " + kind(value));
            return Optional.empty();
        }
        if (list.isEmpty()) {
            problems.problem(key, "'" + key + "' must not be empty: name the program and its arguments, such as "
                    + shown);
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            if (element.valueType() != ConfigValueType.STRING && element.valueType() != ConfigValueType.NUMBER) {
                problems.problem(key, "'" + key + "' must be a list of strings, but element " + i + " is "
                        + kind(element));
                return Optional.empty();
            }
            argv.add(String.valueOf(element.unwrapped()));
        }
        if (argv.get(0).isBlank()) {
            problems.problem(key, "the program, the first element of '" + key + "', must not be empty");
            return Optional.empty();
        }
        return Optional.of(List.copyOf(argv));
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent or bad (reported). */
    public int wholeNumber(String key, int fallback, int min, int max) {
        if (!has(key)) {
            return fallback;
        }
        ConfigValue value = block.getValue(key);
        Object unwrapped = value.unwrapped();
        if (value.valueType() != ConfigValueType.NUMBER || !(unwrapped instanceof Integer number)) {
            problems.problem(key, "'" + key + "' must be a whole number from " + min + " to " + max + ", got "
                    + kind(value) + (value.valueType() == ConfigValueType.NULL ? "" : " '" + unwrapped + "'"));
            return fallback;
        }
        if (number < min || number > max) {
            problems.problem(key, "'" + key + "' must be from " + min + " to " + max + ", got " + number);
            return fallback;
        }
        return number;
    }

    private static String render(List<String> argv) {
        return argv.stream().map(word -> "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** A boolean; {@code fallback} when absent or not a boolean (reported). */
    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        ConfigValue value = block.getValue(key);
        if (value.valueType() != ConfigValueType.BOOLEAN) {
            problems.problem(key, "expected true or false for '" + key + "', got " + kind(value)
                    + (value.valueType() == ConfigValueType.STRING ? " '" + value.unwrapped() + "'" : ""));
            return fallback;
        }
        return (Boolean) value.unwrapped();
    }

    /** A duration above zero written with a unit; {@code fallback} when absent or bad (reported). */
    public Duration positiveDuration(String key, Duration fallback) {
        if (!has(key)) {
            return fallback;
        }
        ConfigValue value = block.getValue(key);
        String text = String.valueOf(value.unwrapped());
        if (value.valueType() == ConfigValueType.NUMBER || BARE_NUMBER.matcher(text).matches()) {
            problems.problem(key, "duration '" + text + "' for '" + key + "' has no unit (it would mean milliseconds):"
                    + " use a HOCON duration such as 30s or 2m");
            return fallback;
        }
        Duration duration;
        try {
            duration = block.getDuration(key);
        } catch (ConfigException e) {
            problems.problem(key, "malformed duration '" + text + "' for '" + key + "': use a HOCON duration such as 30s"
                    + " or 2m");
            return fallback;
        }
        if (duration.isNegative() || duration.isZero()) {
            problems.problem(key, "'" + key + "' must be greater than 0, got " + text);
            return fallback;
        }
        return duration;
    }

    /** Whether {@code id} looks like an AWS id of {@code prefix} ({@code rtb-} + 8 or 17 hex digits); reports if not. */
    public boolean checkId(String key, String id, String prefix) {
        if (Pattern.matches(Pattern.quote(prefix) + "([0-9a-f]{8}|[0-9a-f]{17})", id)) {
            return true;
        }
        problems.problem(key, "'" + id + "' in '" + key + "' is not a valid " + prefix + "… id (" + prefix
                + " followed by 8 or 17 hexadecimal digits, such as " + prefix + "0123456789abcdef0)");
        return false;
    }

    /** Every key of the block, for callers that check more than this reader does. */
    public List<String> keys() {
        return new ArrayList<>(block.root().keySet());
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
}
