package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import java.util.Objects;

/**
 * A monitor that runs a command; see {@link ExecKit} for the exit-code convention. The command may
 * run until the context's deadline (the monitor's {@code timeout}); it is killed when that passes or
 * when the engine interrupts the check.
 */
final class ExecMonitor implements Monitor {
    private final Command command;
    private final ExecCheck check;

    ExecMonitor(Command command, CommandRunner runner) {
        this.command = Objects.requireNonNull(command, "command");
        this.check = new ExecCheck(runner);
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        return check.run("monitor command '" + command.program() + "'", command,
                context.deadline().remaining(), context);
    }

    @Override
    public String toString() {
        return "ExecMonitor[" + command.line() + "]";
    }
}
