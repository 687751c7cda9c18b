package dev.kawari.kit.sqlserver;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Map;

/**
 * Waits, by probing and pausing through the context's sleeper, until SQL Server accepts a login
 * (after a start) or stops accepting one (after a stop). Bounded by the readiness deadline and by the
 * action's. Pauses start short and double up to {@link #LONGEST_PAUSE}. A configuration problem found
 * by a probe (a refused login) ends the wait at once: waiting longer would not help.
 */
final class ReadinessWait {
    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    /** The longest one probe may take while waiting; an unanswered probe is repeated. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(5);

    private ReadinessWait() {
    }

    /**
     * Probes with a level-1 check until it is Healthy ({@code wanted}) or not Healthy ({@code !wanted}).
     *
     * @param ready when to give up with {@code failure}, on the context's clock
     * @throws KawariException {@code failure} when {@code ready} passes, a TIMEOUT when the action's
     *     deadline passes, an interrupted one (flag set) when the thread is interrupted, and a
     *     CONFIGURATION one when a probe finds a configuration problem
     */
    static void until(SqlServerProbe probe, boolean wanted, Deadline ready, ErrorCode failure, String waitingFor,
            OperationContext context) {
        Duration pause = FIRST_PAUSE;
        int probes = 0;
        String last = "no probe was made";
        while (true) {
            Duration within = cap(cap(PROBE_LIMIT, ready.remaining()), context.deadline().remaining());
            if (!within.isZero()) {
                CheckResult answer = probeOnce(probe, within, context, waitingFor);
                probes++;
                boolean answers = answer.status() == CheckResult.Status.HEALTHY;
                if (answers == wanted) {
                    context.events().note("waited for " + waitingFor + ": " + probes + " probe(s)",
                            Map.of("server", probe.connector().login().url().server(),
                                    "detail", answers ? "login and SELECT 1 succeeded" : answer.reason()));
                    return;
                }
                last = answers ? "login and SELECT 1 succeeded" : answer.reason();
            }
            if (ready.expired()) {
                throw new KawariException(failure, true, "gave up waiting for " + waitingFor + " after "
                        + ready.budget().toMillis() + " ms (ready-timeout), " + probes + " probe(s); last: " + last);
            }
            context.deadline().check("waiting for " + waitingFor + " (last probe: " + last + ")");
            context.pause(cap(pause, ready.remaining()));
            pause = cap(pause.multipliedBy(2), LONGEST_PAUSE);
        }
    }

    /** One level-1 check whose deadline is {@code within} from now. */
    static CheckResult probeOnce(SqlServerProbe probe, Duration within, OperationContext context, String doing) {
        OperationContext bounded = new OperationContext(context.service(), context.subject(), context.node(),
                context.epoch(), context.attempt(), Deadline.after(within, context.time()), context.time(),
                context.sleeper(), context.events());
        try {
            return probe.check(bounded);
        } catch (InterruptedException e) {
            throw KawariException.interrupted("interrupted while waiting for " + doing, e);
        }
    }

    private static Duration cap(Duration wanted, Duration limit) {
        return wanted.compareTo(limit) < 0 ? wanted : limit;
    }
}
