package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import dev.kawari.app.CommandResult;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A check command run under the exit-code convention of {@link ExecKit}: exit 0 is Healthy, 3 is
 * Unknown (as {@code kawari check} exits 3), any other exit is Unhealthy; a check killed at its time
 * limit hung, so it is Unhealthy, and so is one that cannot start.
 */
final class ExecCheck {
    /** A check command's exit code for "healthy". */
    static final int HEALTHY = 0;
    /** A check command's exit code for "could not tell", as for {@code kawari check}. */
    static final int UNKNOWN = 3;

    private final CommandRunner runner;

    ExecCheck(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * Runs {@code command} within {@code configured} and the context's deadline and reads its answer.
     *
     * @param what the command for messages ("check command 'test'")
     * @throws InterruptedException if the thread is interrupted; the command is killed first
     */
    CheckResult run(String what, Command command, Duration configured, OperationContext context)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the " + what + " started");
        }
        Duration limit = context.deadline().cap(configured);
        if (limit.isZero()) {
            return CheckResult.unknown(what + " was not run: the check's deadline had already passed");
        }
        CommandResult result;
        try {
            result = runner.run(what, command, limit, context);
        } catch (KawariException e) {
            if (e.code().equals(runner.codes().outputUnavailable())) {
                return CheckResult.unknown(what + " was not run: " + e.getMessage());
            }
            throw e;
        }
        return answer(what, result);
    }

    static CheckResult answer(String what, CommandResult result) {
        return switch (result.outcome()) {
            case EXITED -> {
                if (result.exitCode() == HEALTHY) {
                    yield CheckResult.healthy();
                }
                if (result.exitCode() == UNKNOWN) {
                    yield CheckResult.unknown(
                            what + " exited with " + UNKNOWN + " (could not tell)" + lastLine(result));
                }
                yield CheckResult.unhealthy(what + " exited with " + result.exitCode() + lastLine(result));
            }
            case TIMED_OUT -> CheckResult.unhealthy(what + " timed out after " + CommandResult.text(result.limit())
                    + " and was killed");
            case NOT_STARTED -> CheckResult.unhealthy(what + " could not be started: " + result.startFailure());
        };
    }

    private static String lastLine(CommandResult result) {
        List<String> lines = result.lastLines(1);
        return lines.isEmpty() ? "" : ": " + lines.get(0);
    }
}
