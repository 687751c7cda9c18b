package dev.kawari.app;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Waits, by probing and pausing through the context's sleeper, until a server answers (after a
 * start) or stops answering (after a stop). Bounded by a readiness deadline and by the action's.
 * Pauses start at {@code firstPause} and double up to {@code longestPause}, so a fast server is seen
 * at once and a slow one is not hammered; each probe may take at most {@code probeLimit}.
 *
 * @param firstPause the pause after the first unwanted answer
 * @param longestPause the longest pause between two probes
 * @param probeLimit the longest one probe may take; an unanswered probe is repeated
 */
public record ReadinessWait(Duration firstPause, Duration longestPause, Duration probeLimit) {

    /** Asks a server once whether it answers. */
    @FunctionalInterface
    public interface Probe {
        /**
         * Probes once, within {@code within}'s deadline (the probe limit, cut short by the action's).
         *
         * @throws InterruptedException if the thread is interrupted
         * @throws KawariException of type CONFIGURATION when the probe finds a configuration problem
         *     (a refused login): it ends the wait at once, since waiting longer would not help
         */
        Answer probe(OperationContext within) throws InterruptedException;
    }

    /**
     * One answer of a probe.
     *
     * @param state whether the server answered, was silent, or the probe could not tell
     * @param detail what was seen, for messages ("answered the root DSE read with 0 (success)")
     */
    public record Answer(State state, String detail) {
        /** What a probe found. */
        public enum State {
            /** The server answered: it is up. */
            ANSWERS,
            /** The server did not answer (refused, lost, no answer in time): it is down. */
            SILENT,
            /** The probe could not tell (its password could not be read now): neither up nor down is proven. */
            UNDECIDED
        }

        public Answer {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }

        public static Answer answers(String detail) {
            return new Answer(State.ANSWERS, detail);
        }

        public static Answer silent(String detail) {
            return new Answer(State.SILENT, detail);
        }

        public static Answer undecided(String detail) {
            return new Answer(State.UNDECIDED, detail);
        }

        public boolean answers() {
            return state == State.ANSWERS;
        }
    }

    public ReadinessWait {
        Objects.requireNonNull(firstPause, "firstPause");
        Objects.requireNonNull(longestPause, "longestPause");
        Objects.requireNonNull(probeLimit, "probeLimit");
        if (firstPause.isNegative() || firstPause.isZero() || longestPause.compareTo(firstPause) < 0
                || probeLimit.isNegative() || probeLimit.isZero()) {
            throw new IllegalArgumentException("pauses and the probe limit must be positive, the first pause no"
                    + " longer than the longest: " + firstPause + ", " + longestPause + ", " + probeLimit);
        }
    }

    /** One probe within {@link #probeLimit()} and the context's deadline: is the server already up? */
    public Answer probeOnce(Probe probe, OperationContext context) throws InterruptedException {
        return probe.probe(Contexts.narrowed(context, context.deadline().cap(probeLimit)));
    }

    /**
     * Probes until the server answers ({@code wanted}) or is silent ({@code !wanted}); an undecided
     * answer proves neither, so the wait goes on.
     *
     * @param ready when to give up with {@code failure}, on the context's clock
     * @param failure the kit's code for a server that did not get there in time (a TIMEOUT)
     * @param waitingFor for messages: "the LDAP server at ldap://127.0.0.1:389 to answer"
     * @throws KawariException {@code failure} when {@code ready} passes, a TIMEOUT when the action's
     *     deadline passes, an interrupted one (flag set) when the thread is interrupted, and whatever
     *     CONFIGURATION failure a probe throws
     */
    public void until(Probe probe, boolean wanted, Deadline ready, ErrorCode failure, String waitingFor,
            OperationContext context) {
        Duration pause = firstPause;
        int probes = 0;
        String last = "no probe was made";
        while (true) {
            Duration within = cap(cap(probeLimit, ready.remaining()), context.deadline().remaining());
            if (!within.isZero()) {
                Answer answer;
                try {
                    answer = probe.probe(Contexts.narrowed(context, within));
                } catch (InterruptedException e) {
                    throw KawariException.interrupted("interrupted while waiting for " + waitingFor, e);
                }
                probes++;
                if (answer.state() == (wanted ? Answer.State.ANSWERS : Answer.State.SILENT)) {
                    context.events().note("waited for " + waitingFor + ": " + probes + " probe(s)",
                            Map.of("detail", answer.detail()));
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
            pause = cap(pause.multipliedBy(2), longestPause);
        }
    }

    private static Duration cap(Duration wanted, Duration limit) {
        return wanted.compareTo(limit) < 0 ? wanted : limit;
    }
}
