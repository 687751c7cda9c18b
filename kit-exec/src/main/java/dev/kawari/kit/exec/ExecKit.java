package dev.kawari.kit.exec;

import dev.kawari.app.CommandErrorCodes;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;

/**
 * The {@code exec} kit: a resource type and a monitor type driven by commands, for whatever has no
 * kit of its own (the LifeKeeper Generic ARK, the CLUSTERPRO exec resource).
 *
 * <p>Commands are argument vectors ({@code ["systemctl", "start", "slapd"]}) run without a shell,
 * with standard input from {@code /dev/null}, the agent's environment plus the block's {@code
 * environment}, and the block's {@code directory} as working directory when given. What they print
 * (standard output and error, the last 8 KiB) goes into the action's events.
 *
 * <h2>Exit-code convention</h2>
 * <table>
 *   <caption>What a command's end means</caption>
 *   <tr><th>command</th><th>exit 0</th><th>exit 3</th><th>other exit</th><th>killed at its timeout</th>
 *       <th>cannot be started</th></tr>
 *   <tr><td>{@code start}, {@code stop}</td><td>success</td><td colspan="2">failure: {@link
 *       #EXEC_COMMAND_FAILED} (EXTERNAL, not retryable), with the program, the exit code and the last
 *       lines of output</td><td>{@link ErrorCode#ACTION_TIMED_OUT} (TIMEOUT)</td><td>{@link
 *       #EXEC_COMMAND_NOT_FOUND} (CONFIGURATION)</td></tr>
 *   <tr><td>{@code check}, monitor {@code command}</td><td>Healthy</td><td>Unknown (could not tell,
 *       as {@code kawari check} exits 3)</td><td>Unhealthy, with the exit code and the last line of
 *       output</td><td>Unhealthy (the probe hung)</td><td>Unhealthy</td></tr>
 * </table>
 *
 * <p>A command's time limit is its configured timeout ({@code timeouts.start}, {@code timeouts.stop},
 * {@code timeouts.check}; for a monitor, the monitor's {@code timeout}), cut short by the action's
 * deadline. A command past its limit, or whose action is interrupted, is asked to terminate together
 * with every process it started, and killed a second later if it has not. An interrupted action
 * throws {@link dev.kawari.spi.KawariException#interrupted} with the interrupt flag set; an
 * interrupted check throws {@link InterruptedException}. A resource without a {@code check} command
 * answers Unknown.
 *
 * <p>A start command may leave a daemon behind: the command's own exit ends the action, whatever its
 * children still do. Restore and remove are idempotent only if the commands are: a start command must
 * exit 0 when the service already runs, a stop command when it is already stopped.
 */
public final class ExecKit implements RecoveryKit {
    /** A start or stop command exited with a code other than 0. */
    public static final ErrorCode EXEC_COMMAND_FAILED = new ErrorCode("EXEC_COMMAND_FAILED", ErrorType.EXTERNAL);
    /** A command could not be started: its program or working directory is missing, or not executable. */
    public static final ErrorCode EXEC_COMMAND_NOT_FOUND =
            new ErrorCode("EXEC_COMMAND_NOT_FOUND", ErrorType.CONFIGURATION);
    /** No temporary file for a command's output could be made (a full or read-only temporary directory). */
    public static final ErrorCode EXEC_OUTPUT_UNAVAILABLE =
            new ErrorCode("EXEC_OUTPUT_UNAVAILABLE", ErrorType.EXTERNAL);
    /** The codes the kit's commands fail with. */
    static final CommandErrorCodes COMMAND_ERRORS =
            new CommandErrorCodes(EXEC_COMMAND_FAILED, EXEC_COMMAND_NOT_FOUND, EXEC_OUTPUT_UNAVAILABLE);

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(new ExecResourceType());
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(new ExecMonitorType());
    }
}
