package dev.kawari.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.app.ReadinessWait.Answer;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness wait on a fake clock whose sleeper moves it forward: no real waiting. */
class ReadinessWaitTest {
    private static final ErrorCode NOT_READY = new ErrorCode("TEST_NOT_READY", ErrorType.TIMEOUT);
    private static final ReadinessWait WAIT = new ReadinessWait(Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    private final FakeClock clock = new FakeClock();
    private final List<Duration> pauses = new ArrayList<>();
    private final Sleeper advancing = duration -> {
        pauses.add(duration);
        clock.advance(duration);
    };
    private final RecordingEventSink events = new RecordingEventSink();

    private OperationContext context(Duration deadline) {
        return OperationContexts.builder().time(clock).sleeper(advancing).deadline(deadline).events(events).build();
    }

    /** Answers from {@code answers}, then the last one forever; records each probe's budget. */
    private static final class Scripted implements ReadinessWait.Probe {
        final List<Duration> budgets = new ArrayList<>();
        private final List<Answer> answers;
        private Iterator<Answer> next;
        private Answer last;

        Scripted(Answer... answers) {
            this.answers = List.of(answers);
            this.next = this.answers.iterator();
        }

        @Override
        public Answer probe(OperationContext within) {
            budgets.add(within.deadline().budget());
            if (next.hasNext()) {
                last = next.next();
            }
            return last;
        }
    }

    private static Answer[] silentThenUp(int silent) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < silent; i++) {
            answers.add(Answer.silent("refused " + i));
        }
        answers.add(Answer.answers("up"));
        return answers.toArray(Answer[]::new);
    }

    @Test
    void pausesDoubleUpToTheLongestUntilTheServerAnswers() {
        Scripted probe = new Scripted(silentThenUp(6));

        WAIT.until(probe, true, Deadline.after(Duration.ofMinutes(1), clock), NOT_READY, "the server to answer",
                context(Duration.ofMinutes(2)));

        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(events.lastNote().message()).isEqualTo("waited for the server to answer: 7 probe(s)");
        assertThat(events.lastNote().details()).containsEntry("detail", "up");
    }

    @Test
    void eachProbeGetsTheProbeLimitCutByWhatIsLeft() {
        Scripted probe = new Scripted(Answer.silent("refused"));

        catchThrowableOfType(KawariException.class, () -> WAIT.until(probe, true,
                Deadline.after(Duration.ofMillis(5300), clock), NOT_READY, "the server", context(Duration.ofMinutes(1))));

        assertThat(probe.budgets).first().isEqualTo(Duration.ofSeconds(5));
        assertThat(probe.budgets).allSatisfy(budget -> assertThat(budget).isLessThanOrEqualTo(Duration.ofSeconds(5)));
        // Pauses of 0.1, 0.2, 0.4, 0.8 and then 1 s leave 0.8 s after 4.5 s: the last probe gets that.
        assertThat(probe.budgets).last().isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void theReadinessDeadlineEndsTheWaitWithTheKitsCodeAndTheLastAnswer() {
        KawariException thrown = catchThrowableOfType(KawariException.class, () -> WAIT.until(
                new Scripted(Answer.silent("connection refused")), true, Deadline.after(Duration.ofSeconds(3), clock),
                NOT_READY, "the server to answer", context(Duration.ofMinutes(1))));

        assertThat(thrown.code()).isEqualTo(NOT_READY);
        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.getMessage()).contains("gave up waiting for the server to answer after 3000 ms",
                "last: connection refused");
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).as("paused until ready-timeout, no longer")
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anUndecidedAnswerIsNeitherUpNorDown() {
        for (boolean wanted : new boolean[] {true, false}) {
            KawariException thrown = catchThrowableOfType(KawariException.class, () -> WAIT.until(
                    new Scripted(Answer.undecided("password unreadable now")), wanted,
                    Deadline.after(Duration.ofSeconds(3), clock), NOT_READY, "the server", context(Duration.ofMinutes(1))));

            assertThat(thrown.code()).as("wanted %s", wanted).isEqualTo(NOT_READY);
            assertThat(thrown.getMessage()).contains("last: password unreadable now");
        }
    }

    @Test
    void waitingForSilenceEndsAtTheFirstSilentAnswer() {
        Scripted probe = new Scripted(Answer.answers("still up"), Answer.undecided("cannot tell"),
                Answer.silent("refused"));

        WAIT.until(probe, false, Deadline.after(Duration.ofMinutes(1), clock), NOT_READY, "the server to go silent",
                context(Duration.ofMinutes(2)));

        assertThat(probe.budgets).hasSize(3);
        assertThat(events.lastNote().message()).isEqualTo("waited for the server to go silent: 3 probe(s)");
    }

    @Test
    void aConfigurationProblemOfAProbeEndsTheWaitAtOnce() {
        ErrorCode refused = new ErrorCode("TEST_LOGIN_REFUSED", ErrorType.CONFIGURATION);
        ReadinessWait.Probe probe = within -> {
            throw KawariException.permanent(refused, "login refused");
        };

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> WAIT.until(probe, true,
                Deadline.after(Duration.ofMinutes(1), clock), NOT_READY, "the server", context(Duration.ofMinutes(2))));

        assertThat(thrown.code()).isEqualTo(refused);
        assertThat(pauses).isEmpty();
    }

    @Test
    void theActionsDeadlineEndsTheWaitWithATimeout() {
        KawariException thrown = catchThrowableOfType(KawariException.class, () -> WAIT.until(
                new Scripted(Answer.silent("refused")), true, Deadline.after(Duration.ofMinutes(5), clock), NOT_READY,
                "the server", context(Duration.ofSeconds(2))));

        assertThat(thrown.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(thrown.code()).isEqualTo(ErrorCode.ACTION_TIMED_OUT);
    }

    @Test
    void anInterruptedProbeEndsTheWaitWithTheFlagSet() {
        ReadinessWait.Probe probe = within -> {
            throw new InterruptedException("stop");
        };
        try {
            KawariException thrown = catchThrowableOfType(KawariException.class, () -> WAIT.until(probe, true,
                    Deadline.after(Duration.ofMinutes(1), clock), NOT_READY, "the server", context(Duration.ofMinutes(2))));

            assertThat(thrown.code()).isEqualTo(ErrorCode.ACTION_INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void probeOnceIsBoundedByTheProbeLimitAndTheDeadline() throws Exception {
        Scripted probe = new Scripted(Answer.answers("up"));

        WAIT.probeOnce(probe, context(Duration.ofMinutes(1)));
        WAIT.probeOnce(probe, context(Duration.ofSeconds(2)));

        assertThat(probe.budgets).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(2));
    }
}
