package dev.kawari.app;

import dev.kawari.spi.KawariException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one run of a {@link Command} ended.
 *
 * @param outcome whether the command exited, was killed at its time limit, or never started
 * @param exitCode the exit code when {@code outcome} is {@link Outcome#EXITED}; -1 otherwise
 * @param elapsed from the start to the end of the run
 * @param limit how long the command was allowed to run
 * @param output the end of what the command wrote to standard output and error, at most {@link
 *     CommandRunner#OUTPUT_TAIL_BYTES} bytes of it
 * @param startFailure why the command could not be started; empty unless {@link Outcome#NOT_STARTED}
 */
public record CommandResult(Outcome outcome, int exitCode, Duration elapsed, Duration limit, String output,
        String startFailure) {

    /** How a run ended. */
    public enum Outcome {
        /** The command exited by itself with {@link #exitCode()}. */
        EXITED,
        /** The command outlived its limit and was killed. */
        TIMED_OUT,
        /** The command could not be started (missing program, missing directory, no permission). */
        NOT_STARTED
    }

    private static final int MESSAGE_LINES = 5;
    private static final int MAX_LINE_CHARS = 200;

    public CommandResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(startFailure, "startFailure");
    }

    static CommandResult exited(int exitCode, Duration elapsed, Duration limit, String output) {
        return new CommandResult(Outcome.EXITED, exitCode, elapsed, limit, output, "");
    }

    static CommandResult timedOut(Duration elapsed, Duration limit, String output) {
        return new CommandResult(Outcome.TIMED_OUT, -1, elapsed, limit, output, "");
    }

    static CommandResult notStarted(String why, Duration elapsed, Duration limit) {
        return new CommandResult(Outcome.NOT_STARTED, -1, elapsed, limit, "", why);
    }

    /**
     * An action's view (start, stop): exit code 0 is success; any other exit, a kill at the time
     * limit, or a command that cannot start is the failure returned.
     *
     * @param what the command for messages ("start command 'systemctl'")
     * @param codes the kit's codes for a failed command and one that cannot start
     */
    public Optional<KawariException> asActionFailure(String what, CommandErrorCodes codes) {
        return switch (outcome) {
            case EXITED -> exitCode == 0 ? Optional.empty() : Optional.of(KawariException.permanent(
                    codes.failed(), what + " exited with " + exitCode + outputForMessage()));
            case TIMED_OUT -> Optional.of(KawariException.timedOut(
                    what + " did not finish within " + text(limit) + " and was killed" + outputForMessage()));
            case NOT_STARTED -> Optional.of(KawariException.permanent(
                    codes.notFound(), what + " could not be started: " + startFailure));
        };
    }

    /** The last {@code count} non-blank lines of the output, oldest first, each cut to a bounded length. */
    public List<String> lastLines(int count) {
        String[] lines = output.split("\\R");
        List<String> last = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && last.size() < count; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                last.add(0, line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…");
            }
        }
        return last;
    }

    private String outputForMessage() {
        List<String> lines = lastLines(MESSAGE_LINES);
        return lines.isEmpty() ? " (no output)" : "; last output: " + String.join(" | ", lines);
    }

    /** A duration as operators write it in HOCON: {@code 60s}, {@code 1500ms}. */
    public static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
