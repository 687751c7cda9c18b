package dev.kawari.engine.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration, located at the line of the offending key or value.
 * {@link #toString()} is the {@code FILE:LINE: message} form printed to operators.
 *
 * @param file the file name as the operator gave it (or the included file's name)
 * @param line 1-based line; 0 if unknown
 * @param message what is wrong, and how to fix it where that is clear
 */
public record ConfigProblem(String file, int line, String message) implements Comparable<ConfigProblem> {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /**
     * A problem with {@code key} of a kit's block, found after loading (by a kit's {@code verify}):
     * located at the key's line when the key came from the file, else at the block.
     *
     * @param block the kit's view of the block, whose values keep their origins
     * @param blockLocation {@code FILE:LINE} of the block
     */
    public static ConfigProblem atKey(com.typesafe.config.Config block, String blockLocation, String key, String message) {
        try {
            if (key != null && !key.isBlank() && block.hasPath(key)) {
                com.typesafe.config.ConfigOrigin origin = block.getValue(key).origin();
                if (origin.filename() != null && origin.lineNumber() > 0) {
                    return new ConfigProblem(origin.filename(), origin.lineNumber(), message);
                }
            }
        } catch (com.typesafe.config.ConfigException.BadPath e) {
            // not a valid path: fall back to the block
        }
        int colon = blockLocation.lastIndexOf(':');
        int line = 0;
        if (colon > 0) {
            try {
                line = Integer.parseInt(blockLocation.substring(colon + 1));
            } catch (NumberFormatException e) {
                colon = -1;
            }
        }
        return colon > 0 ? new ConfigProblem(blockLocation.substring(0, colon), line, message)
                : new ConfigProblem(blockLocation, 0, message);
    }

    @Override
    public int compareTo(ConfigProblem other) {
        int byFile = file.compareTo(other.file);
        if (byFile != 0) {
            return byFile;
        }
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : message.compareTo(other.message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
