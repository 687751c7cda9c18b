package dev.kawari.kit.ldap;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Map;

/**
 * Waits, by probing and pausing through the context's sleeper, until a server answers (after a
 * start) or stops answering (after a stop). Bounded by the readiness deadline and by the action's.
 * Pauses start short and double up to {@link #LONGEST_PAUSE}, so a fast server is seen at once and a
 * slow one is not hammered.
 */
final class ReadinessWait {
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
    /** The longest one probe may take while waiting; an unanswered probe is repeated. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(5);

    private ReadinessWait() {
    }

    /**
     * Probes until the answer is {@code wanted}.
     *
     * @param ready when to give up with {@code failure}, on the context's clock
     * @param waitingFor for messages: "the server to answer"
     * @throws KawariException {@code failure} when {@code ready} passes, a TIMEOUT when the action's
     *     deadline passes, an interrupted one (flag set) when the thread is interrupted
     */
    static void until(ServerProbe probe, boolean wanted, Deadline ready, ErrorCode failure, String waitingFor,
            OperationContext context) {
        Duration pause = FIRST_PAUSE;
        int probes = 0;
        String last = "no probe was made";
        while (true) {
            Duration within = cap(cap(PROBE_LIMIT, ready.remaining()), context.deadline().remaining());
            if (!within.isZero()) {
                ServerProbe.Answer answer;
                try {
                    answer = probe.probe(within);
                } catch (InterruptedException e) {
                    throw KawariException.interrupted("interrupted while waiting for " + waitingFor, e);
                }
                probes++;
                if (answer.answers() == wanted) {
                    context.events().note("waited for " + waitingFor + ": " + probes + " probe(s)",
                            Map.of("url", probe.url().toString(), "detail", answer.detail()));
                    return;
                }
                last = answer.detail();
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

    private static Duration cap(Duration wanted, Duration limit) {
        return wanted.compareTo(limit) < 0 ? wanted : limit;
    }
}
