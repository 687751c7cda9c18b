package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.Objects;

/**
 * A resource brought in and out of service by commands; see {@link ExecKit} for the exit-code
 * convention. It keeps no state of its own: idempotency is the commands' business (a start command
 * of an already running service must exit 0).
 */
final class ExecResource implements Resource {
    /**
     * Added to the configured timeouts in {@link #timeout(Action)}, so that the kit kills its command
     * (and reports why) before the engine gives up on the action.
     */
    static final Duration KILL_MARGIN = Duration.ofSeconds(2);

    private final ExecResourceConfig config;
    private final CommandRunner runner;
    private final ExecCheck checks;

    ExecResource(ExecResourceConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.checks = new ExecCheck(runner);
    }

    @Override
    public void restore(OperationContext context) {
        runner.runAction("start command '" + config.start().program() + "'", config.start(),
                config.timeouts().start(), context);
    }

    @Override
    public void remove(OperationContext context) {
        runner.runAction("stop command '" + config.stop().program() + "'", config.stop(),
                config.timeouts().stop(), context);
    }

    /** Runs the check command; Unknown when none is configured. */
    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        if (config.check().isEmpty()) {
            return CheckResult.unknown("no check command configured");
        }
        Command check = config.check().get();
        return checks.run("check command '" + check.program() + "'", check, config.timeouts().check(), context);
    }

    @Override
    public Duration timeout(Action action) {
        Duration configured = switch (action) {
            case RESTORE -> config.timeouts().start();
            case REMOVE -> config.timeouts().stop();
            case CHECK -> config.timeouts().check();
            case RECOVER -> config.timeouts().start().plus(config.timeouts().stop());
        };
        return configured.plus(KILL_MARGIN);
    }

    @Override
    public String toString() {
        return "ExecResource[start=" + config.start().line() + "]";
    }
}
