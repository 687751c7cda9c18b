package dev.kawari.aws;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.spi.KitBlock;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AWS kits' view of a block: the shared {@link KitBlock} readings, plus the value kinds of AWS
 * (ids such as {@code rtb-0123…}, IPv4 addresses). Every bad value is reported at its key and the
 * getter returns empty (or the fallback).
 */
public final class BlockReader {
    private final KitBlock block;

    public BlockReader(Config block, ProblemReporter problems) {
        this.block = new KitBlock(block, problems);
    }

    /** Whether {@code key} has a value other than {@code null}. */
    public boolean has(String key) {
        return block.has(key);
    }

    /** The value of {@code key} as a non-empty string (numbers read as text); reports when absent. */
    public Optional<String> requiredString(String key, String what) {
        return block.requiredString(key, what);
    }

    /** The value of {@code key} as a non-empty string, or empty when absent. */
    public Optional<String> optionalString(String key) {
        return block.optionalString(key);
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
                block.problem(key, "'" + key + "' must be an IPv4 address such as 198.51.100.10, got '" + text + "'");
                return Optional.empty();
            }
            if (!address.get().isUnicastHost()) {
                block.problem(key, "'" + key + "' must be a unicast host address, not " + text);
                return Optional.empty();
            }
            return address;
        });
    }

    /** A list of AWS ids of {@code prefix}: non-empty, each well-formed, none twice; empty when bad (reported). */
    public Optional<List<String>> ids(String key, String prefix) {
        ConfigValue value = block.config().getValue(key);
        if (!(value instanceof ConfigList list)) {
            block.problem(key, "expected a list of " + prefix + "… ids for '" + key + "', got " + KitBlock.kind(value));
            return Optional.empty();
        }
        if (list.isEmpty()) {
            block.problem(key, "'" + key + "' must name at least one " + prefix + "… id");
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        boolean sound = true;
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING) {
                block.problem(key, "expected " + prefix + "… ids in '" + key + "', got " + KitBlock.kind(element));
                sound = false;
                continue;
            }
            String id = ((String) element.unwrapped()).trim();
            if (!checkId(key, id, prefix)) {
                sound = false;
            } else if (!ids.add(id)) {
                block.problem(key, "'" + key + "' lists " + id + " more than once");
                sound = false;
            }
        }
        return sound ? Optional.of(List.copyOf(ids)) : Optional.empty();
    }

    /** An argument vector (a list of strings, never a shell string); see {@link KitBlock#argumentVector}. */
    public Optional<List<String>> argumentVector(String key, boolean required, List<String> example) {
        return block.argumentVector(key, required, example);
    }

    /** A whole number from {@code min} to {@code max}, or empty when absent or out of range (reported). */
    public Optional<Integer> integer(String key, int min, int max) {
        return block.integer(key, min, max);
    }

    /** A boolean; {@code fallback} when absent or not a boolean (reported). */
    public boolean bool(String key, boolean fallback) {
        return block.bool(key, fallback);
    }

    /** A duration above zero written with a unit; {@code fallback} when absent or bad (reported). */
    public Duration positiveDuration(String key, Duration fallback) {
        return block.positiveDuration(key, fallback);
    }

    /** Whether {@code id} looks like an AWS id of {@code prefix} ({@code rtb-} + 8 or 17 hex digits); reports if not. */
    public boolean checkId(String key, String id, String prefix) {
        if (Pattern.matches(Pattern.quote(prefix) + "([0-9a-f]{8}|[0-9a-f]{17})", id)) {
            return true;
        }
        block.problem(key, "'" + id + "' in '" + key + "' is not a valid " + prefix + "… id (" + prefix
                + " followed by 8 or 17 hexadecimal digits, such as " + prefix + "0123456789abcdef0)");
        return false;
    }

    /** Every key of the block, for callers that check more than this reader does. */
    public List<String> keys() {
        return block.keys();
    }
}
