package dev.kawari.engine.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a configuration block accepts, level by level, as declared by a {@code reference.conf}
 * block plus the engine's own keys.
 *
 * <p>A key whose reference value is a non-empty object has its own schema ({@code timeouts { start,
 * stop, check }}); a key whose reference value is an empty object ({@code environment {}}) accepts
 * any keys below it; any other key (including a {@code null} one) accepts whatever value it is given
 * and leaves checking it to the kit.
 */
record KeySchema(Set<String> keys, Map<String, KeySchema> nested, boolean open) {
    /** Accepts anything: the schema of an empty reference object. */
    static final KeySchema OPEN = new KeySchema(Set.of(), Map.of(), true);

    KeySchema {
        keys = Set.copyOf(keys);
        nested = Map.copyOf(nested);
    }

    /** Exactly {@code keys}, none with sub-keys. */
    static KeySchema flat(Set<String> keys) {
        return new KeySchema(keys, Map.of(), false);
    }

    /** {@code engineKeys} plus the keys declared by a type's reference block. */
    static KeySchema of(Set<String> engineKeys, ConfigObject reference) {
        KeySchema declared = declaredBy(reference);
        Set<String> all = new TreeSet<>(declared.keys);
        all.addAll(engineKeys);
        return new KeySchema(all, declared.nested, false);
    }

    private static KeySchema declaredBy(ConfigObject reference) {
        Map<String, KeySchema> nested = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
            if (entry.getValue() instanceof ConfigObject object) {
                nested.put(entry.getKey(), object.isEmpty() ? OPEN : declaredBy(object));
            }
        }
        return new KeySchema(reference.keySet(), nested, false);
    }

    /**
     * One key of a block that the schema does not know.
     *
     * @param keys the path from the block to the key
     * @param suggestion the path of the closest known key, or null
     */
    record UnknownKey(List<String> keys, ConfigValue value, String suggestion) {
        UnknownKey {
            keys = List.copyOf(keys);
            Objects.requireNonNull(value, "value");
        }

        /** The key's path relative to the block, in HOCON syntax ({@code timeouts.strat}). */
        String path() {
            return ConfigUtil.joinPath(keys);
        }

        /** The path of the closest known key, or empty. */
        String didYouMean() {
            return suggestion == null ? "" : " (did you mean '" + suggestion + "'?)";
        }
    }

    /** Every key of {@code block}, at any depth the schema describes, that it does not know. */
    List<UnknownKey> unknownKeys(ConfigObject block) {
        List<UnknownKey> unknown = new ArrayList<>();
        collect(block, List.of(), unknown);
        return unknown;
    }

    private void collect(ConfigObject block, List<String> prefix, List<UnknownKey> unknown) {
        if (open) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : block.entrySet()) {
            String key = entry.getKey();
            List<String> path = append(prefix, key);
            if (!keys.contains(key)) {
                String suggestion = ClosestName.closest(key, keys)
                        .map(known -> ConfigUtil.joinPath(append(prefix, known)))
                        .orElse(null);
                unknown.add(new UnknownKey(path, entry.getValue(), suggestion));
            } else if (nested.containsKey(key) && entry.getValue() instanceof ConfigObject object) {
                nested.get(key).collect(object, path, unknown);
            }
        }
    }

    private static List<String> append(List<String> prefix, String key) {
        List<String> path = new ArrayList<>(prefix);
        path.add(key);
        return path;
    }
}
