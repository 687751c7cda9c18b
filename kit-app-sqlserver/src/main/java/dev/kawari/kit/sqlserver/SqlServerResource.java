package dev.kawari.kit.sqlserver;

import dev.kawari.app.CommandRunner;
import dev.kawari.app.ReadinessWait;
import dev.kawari.spi.Action;
import dev.kawari.spi.ProblemReporter;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * SQL Server brought in and out of service by its start and stop commands.
 *
 * <ul>
 *   <li>restore: if a login and {@code SELECT 1} already succeed, nothing is run; otherwise {@code start}
 *       runs and restore waits until they succeed, for at most {@code ready-timeout}.
 *   <li>remove: {@code stop} always runs (a hung server must still be stopped), then remove waits until
 *       logins no longer succeed, for at most {@code ready-timeout}.
 *   <li>check: a login and {@code SELECT 1} (the monitor's level 1).
 *   <li>recover: the default, remove then restore.
 * </ul>
 *
 * A refused login is a configuration problem: restore and check throw a CONFIGURATION exception
 * rather than wait or answer Unhealthy.
 */
final class SqlServerResource implements Resource {
    /** Added to {@code ready-timeout} for the action's timeout, so the kit reports why before the engine gives up. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    /** The timeout of a check, which is one probe. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);
    /** Logs in every 200 ms at first, then less often, up to every 2 s; 5 s at most per login. */
    static final ReadinessWait WAIT = new ReadinessWait(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(5));

    private final SqlServerResourceConfig config;
    private final SqlServerProbe probe;
    private final CommandRunner commands;

    SqlServerResource(SqlServerResourceConfig config, SqlServerProbe probe, CommandRunner commands) {
        this.config = Objects.requireNonNull(config, "config");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    private String server() {
        return config.login().url().server();
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        ReadinessWait.Answer before = WAIT.probeOnce(probe, context);
        if (before.answers()) {
            context.events().note("SQL Server already accepts logins; start not run", Map.of("server", server()));
            return;
        }
        Deadline ready = Deadline.after(config.readyTimeout(), context.time());
        commands.runAction("start command '" + config.start().program() + "'", config.start(), ready.remaining(),
                context);
        WAIT.until(probe, true, ready, SqlServerKit.SQLSERVER_NOT_READY,
                "SQL Server at " + server() + " to accept a login", context);
    }

    @Override
    public void remove(OperationContext context) {
        Deadline ready = Deadline.after(config.readyTimeout(), context.time());
        commands.runAction("stop command '" + config.stop().program() + "'", config.stop(), ready.remaining(),
                context);
        WAIT.until(probe, false, ready, SqlServerKit.SQLSERVER_STILL_ANSWERS,
                "SQL Server at " + server() + " to stop accepting logins", context);
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        return probe.check(context);
    }

    /** Checks that the password can be read on this node; asks nothing of SQL Server. */
    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        SqlServerLogin login = config.login();
        login.password().ifPresent(source -> source.verify(login.passwordKey(), context, problems));
    }

    @Override
    public void close() {
        config.login().close();
    }

    @Override
    public Duration timeout(Action action) {
        return switch (action) {
            case RESTORE, REMOVE -> config.readyTimeout().plus(MARGIN);
            case RECOVER -> config.readyTimeout().multipliedBy(2).plus(MARGIN);
            case CHECK -> CHECK_TIMEOUT;
        };
    }

    @Override
    public String toString() {
        return "SqlServerResource[" + server() + ", start=" + config.start().argv() + "]";
    }
}
