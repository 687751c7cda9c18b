package dev.kawari.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command as configured: run without a shell, with the agent's environment plus {@code
 * environment}, in {@code directory} when one is given.
 *
 * @param argv the program and its arguments; copied, never empty
 * @param environment variables added to the inherited environment; copied
 * @param directory the working directory, or empty for the agent's
 */
public record Command(List<String> argv, Map<String, String> environment, Optional<Path> directory) {
    private static final int MAX_LINE_CHARS = 1024;

    public Command {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(directory, "directory");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("an argument vector names at least the program");
        }
    }

    /** A command run with the agent's environment in the agent's working directory. */
    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), Optional.empty());
    }

    /** The program: the first element of the argument vector, as written. */
    public String program() {
        return argv.get(0);
    }

    /** The argument vector joined by spaces, cut to a bounded length, for notes and messages. */
    public String line() {
        String line = String.join(" ", argv);
        return line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…";
    }
}
