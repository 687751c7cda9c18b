package dev.kawari.engine.config;

import com.typesafe.config.ConfigOrigin;
import java.util.Objects;

/**
 * Where something was written: a file (or class path resource) and a 1-based line, 0 when the
 * line is unknown. Prints as {@code FILE:LINE}.
 */
record Location(String file, int line) {
    private static final String MERGE_PREFIX = "merge of ";

    Location {
        Objects.requireNonNull(file, "file");
    }

    /**
     * The location Typesafe Config recorded. A class path resource is named by its resource name
     * (not the jar URL) and a file by the path as the operator gave it.
     */
    static Location of(ConfigOrigin origin) {
        String file;
        if (origin.resource() != null) {
            file = origin.resource();
        } else if (origin.filename() != null) {
            file = origin.filename();
        } else {
            file = withoutLineNumbers(origin.description());
        }
        return new Location(file, Math.max(0, origin.lineNumber()));
    }

    /**
     * Whether Typesafe Config merged this origin from two sources (an override layered on a file
     * block), which loses the file and the line.
     */
    static boolean isMerged(ConfigOrigin origin) {
        return origin.description().startsWith(MERGE_PREFIX);
    }

    /** Strips Typesafe's {@code "DESCRIPTION: "} prefix from an exception message so that it is printed once. */
    static String messageWithoutOrigin(String message, ConfigOrigin origin) {
        if (message == null) {
            return "";
        }
        if (origin != null && message.startsWith(origin.description() + ": ")) {
            return message.substring(origin.description().length() + 2);
        }
        return message;
    }

    private static String withoutLineNumbers(String description) {
        return description.replaceFirst(": [0-9]+(-[0-9]+)?$", "");
    }

    ConfigProblem problem(String message) {
        return new ConfigProblem(file, line, message);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
