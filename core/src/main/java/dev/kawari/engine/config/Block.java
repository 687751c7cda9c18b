package dev.kawari.engine.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One object of the configuration being validated, with what messages need to point at it.
 *
 * @param label how messages name it: {@code kawari}, {@code node 'node-a'}, {@code resource 'web'}
 * @param path its keys from the root, to locate values whose origin an override merged away
 * @param object its contents, resolved
 * @param location where it was written; missing keys are reported here
 */
record Block(String label, List<String> path, ConfigObject object, Location location, SourceMap sources) {
    Block {
        Objects.requireNonNull(label, "label");
        path = List.copyOf(path);
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(sources, "sources");
    }

    /** The value of {@code key}, or null when absent; a HOCON {@code null} is returned as such. */
    ConfigValue get(String key) {
        return object.get(key);
    }

    /** Where {@code key}'s value was written, or the block's location when it is absent. */
    Location locate(String key) {
        return locate(List.of(key));
    }

    /**
     * Where the value at {@code keys} below this block was written; when part of the path is absent,
     * the deepest part that exists (at worst the block itself).
     */
    Location locate(List<String> keys) {
        Location found = location;
        ConfigValue current = object;
        List<String> walked = new ArrayList<>(path);
        for (String key : keys) {
            if (!(current instanceof ConfigObject parent) || parent.get(key) == null) {
                break;
            }
            current = parent.get(key);
            walked.add(key);
            found = sources.locate(walked, current);
        }
        return found;
    }

    /** The object under {@code key} as a block of its own. */
    Block child(String key, String childLabel, ConfigObject child) {
        List<String> childPath = new ArrayList<>(path);
        childPath.add(key);
        return new Block(childLabel, childPath, child, sources.locate(childPath, child), sources);
    }

    /**
     * The entries in the order they were written. Typesafe Config does not keep insertion order, so
     * they are sorted by line (entries from included files by their line in that file), then by key.
     */
    List<Map.Entry<String, ConfigValue>> entriesInFileOrder() {
        return object.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, ConfigValue> entry) -> locate(entry.getKey()).line())
                        .thenComparing(Map.Entry::getKey))
                .toList();
    }

    @Override
    public String toString() {
        return label + " at " + location;
    }
}
