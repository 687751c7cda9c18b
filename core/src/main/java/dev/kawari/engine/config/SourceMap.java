package dev.kawari.engine.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Objects;

/**
 * Finds where a value of the resolved configuration was written.
 *
 * <p>Typesafe Config keeps an origin on every value, but when an override is layered on a file the
 * merged objects get an origin with neither file nor line ("merge of …"). A problem about such a
 * block (a missing key, say) is then located through the same path in the configuration as written,
 * before overrides were applied.
 */
final class SourceMap {
    private final String source;
    private final ConfigObject written;

    /**
     * @param source the file or resource name that was loaded; used when nothing better is known
     * @param written the parsed file, before overrides and substitutions
     */
    SourceMap(String source, ConfigObject written) {
        this.source = Objects.requireNonNull(source, "source");
        this.written = Objects.requireNonNull(written, "written");
    }

    String source() {
        return source;
    }

    /**
     * Where the value at {@code path} (keys from the root) was written. A value that came from an
     * override keeps the override's origin (often without a line): that is where it was written.
     */
    Location locate(List<String> path, ConfigValue value) {
        if (!Location.isMerged(value.origin())) {
            return Location.of(value.origin());
        }
        ConfigValue asWritten = find(path);
        if (asWritten != null && !Location.isMerged(asWritten.origin())) {
            return Location.of(asWritten.origin());
        }
        return new Location(source, 0);
    }

    private ConfigValue find(List<String> path) {
        ConfigValue current = written;
        for (String key : path) {
            if (!(current instanceof ConfigObject object)) {
                return null;
            }
            current = object.get(key);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
