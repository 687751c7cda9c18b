package dev.kawari.engine.tree;

import dev.kawari.spi.Action;
import dev.kawari.spi.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one walk over a service tree did.
 *
 * @param action restore, remove or recover
 * @param succeeded resources the action succeeded on, in completion order
 * @param failures resources it failed on, with why
 * @param skipped resources not acted on because something they wait for failed
 * @param rolledBack resources removed again after a failed restore, in removal order
 * @param duration wall time of the whole walk, rollback included
 */
public record TreeOutcome(
        Action action,
        List<String> succeeded,
        List<Failure> failures,
        List<String> skipped,
        List<String> rolledBack,
        Duration duration) {

    public TreeOutcome {
        Objects.requireNonNull(action, "action");
        succeeded = List.copyOf(succeeded);
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
        rolledBack = List.copyOf(rolledBack);
        Objects.requireNonNull(duration, "duration");
    }

    public boolean ok() {
        return failures.isEmpty() && skipped.isEmpty();
    }

    /** Why one resource's action failed. */
    public record Failure(String resource, ErrorCode code, String message) {
        public Failure {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return resource + ": " + code.name() + ": " + message;
        }
    }
}
