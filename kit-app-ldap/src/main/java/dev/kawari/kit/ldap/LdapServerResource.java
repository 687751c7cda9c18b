package dev.kawari.kit.ldap;

import dev.kawari.app.CommandRunner;
import dev.kawari.app.ReadinessWait;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A directory server brought in and out of service by its start and stop commands.
 *
 * <ul>
 *   <li>restore: if the server already answers at {@code url}, nothing is run; otherwise {@code start}
 *       runs and restore waits until the server answers, for at most {@code ready-timeout}.
 *   <li>remove: {@code stop} always runs (a hung server that does not answer must still be stopped),
 *       then remove waits until the server no longer answers, for at most {@code ready-timeout}.
 *   <li>check: Healthy when the server answers an anonymous root DSE read (any LDAP result counts),
 *       Unhealthy when the connection is refused, lost or unanswered.
 *   <li>recover: the default, remove then restore.
 * </ul>
 *
 * <p>Idempotency rests on the probe for restore and on the stop command for remove: a stop command
 * must exit 0 when the server is already down ({@code systemctl stop} does).
 */
final class LdapServerResource implements Resource {
    /** Added to {@code ready-timeout} for the action's timeout, so the kit reports why before the engine gives up. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    /** The timeout of a check, which is one probe. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);
    /** Probes every 100 ms at first, then less often, up to every second; 5 s at most per probe. */
    static final ReadinessWait WAIT = new ReadinessWait(Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    private final LdapServerConfig config;
    private final ServerProbe probe;
    private final CommandRunner commands;

    LdapServerResource(LdapServerConfig config, ServerProbe probe, CommandRunner commands) {
        this.config = Objects.requireNonNull(config, "config");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        ReadinessWait.Answer before = WAIT.probeOnce(probe, context);
        if (before.answers()) {
            context.events().note("the LDAP server already answers; start not run",
                    Map.of("url", config.url().toString(), "detail", before.detail()));
            return;
        }
        Deadline ready = Deadline.after(config.readyTimeout(), context.time());
        commands.runAction("start command '" + config.start().program() + "'", config.start(), ready.remaining(),
                context);
        WAIT.until(probe, true, ready, LdapKit.LDAP_SERVER_NOT_READY,
                "the LDAP server at " + config.url() + " to answer", context);
    }

    @Override
    public void remove(OperationContext context) {
        Deadline ready = Deadline.after(config.readyTimeout(), context.time());
        commands.runAction("stop command '" + config.stop().program() + "'", config.stop(), ready.remaining(),
                context);
        WAIT.until(probe, false, ready, LdapKit.LDAP_SERVER_STILL_ANSWERS,
                "the LDAP server at " + config.url() + " to stop answering", context);
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        ReadinessWait.Answer answer = probe.probe(context);
        return answer.answers() ? CheckResult.healthy() : CheckResult.unhealthy(answer.detail());
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
        return "LdapServerResource[" + config.url() + ", start=" + config.start().argv() + "]";
    }
}
