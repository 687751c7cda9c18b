package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code exec} resource block.
 *
 * @param start the command that brings the resource into service
 * @param stop the command that takes it out of service
 * @param check the command that probes it, if any
 * @param timeouts how long each command may run
 */
record ExecResourceConfig(Command start, Command stop, Optional<Command> check, Timeouts timeouts) {
    ExecResourceConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** {@code timeouts { start, stop, check }}; each greater than zero. */
    record Timeouts(Duration start, Duration stop, Duration check) {
        Timeouts {
            requirePositive(start, "start");
            requirePositive(stop, "stop");
            requirePositive(check, "check");
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("timeouts." + name + " must be greater than 0: " + duration);
            }
        }
    }
}
