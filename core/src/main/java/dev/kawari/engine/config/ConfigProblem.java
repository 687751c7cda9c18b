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
