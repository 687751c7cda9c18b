package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Monitor} keeps, as tests a kit inherits. A kit's test extends this
 * class and builds three monitors:
 *
 * <pre>{@code
 * class ExecMonitorContractTest extends MonitorContractTest {
 *     @Override
 *     protected Monitor newHealthyMonitor() {
 *         return create("command = [\"true\"]");
 *     }
 *
 *     @Override
 *     protected Monitor newUnhealthyMonitor() {
 *         return create("command = [\"false\"]");
 *     }
 *
 *     @Override
 *     protected Monitor newHangingMonitor() {
 *         return create("command = [sleep, \"60\"]");
 *     }
 *
 *     private Monitor create(String block) {
 *         TestKitContext context = new TestKitContext();
 *         Monitor monitor = new ExecMonitorType().create(KitConfigs.monitor("exec", block), context);
 *         assertThat(context.problems()).isEmpty();
 *         return monitor;
 *     }
 * }
 * }</pre>
 *
 * <p>Each test calls at most one hook, at most once; {@link #resetEnvironment()} runs before every
 * test, and every monitor a hook returned is closed after it. The engine interrupts a check that
 * outlives the monitor's {@code timeout}, so a hanging check must stop on an interrupt; it must
 * also stop by itself at its context's deadline.
 */
public abstract class MonitorContractTest {
    /** How long a check that must stop (a passed deadline, an interrupt) may still take. */
    protected static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** The deadline of the context in {@link #hangingMonitorHonoursTheDeadline()}. */
    protected static final Duration SHORT_DEADLINE = Duration.ofMillis(300);
    /** How long {@link #hangingMonitorHonoursInterrupts()} lets the check run before it interrupts it. */
    protected static final Duration BEFORE_INTERRUPT = Duration.ofMillis(200);

    private final List<Monitor> created = new ArrayList<>();
    private final List<WatchedCall> calls = new ArrayList<>();

    /** A monitor whose check finds its target working. */
    protected abstract Monitor newHealthyMonitor();

    /** A monitor whose check proves its target broken. */
    protected abstract Monitor newUnhealthyMonitor();

    /** A monitor whose check would take 30 s or more unless its deadline or an interrupt stops it. */
    protected abstract Monitor newHangingMonitor();

    /** Puts the environment the hooks build on back into a clean state; runs before every test. */
    protected void resetEnvironment() throws Exception {
    }

    /** The contexts every check of this class uses; override to set the node or the subject. */
    protected OperationContexts.Builder contexts() {
        return OperationContexts.builder().subject(KitConfigs.MONITOR_ID);
    }

    @BeforeEach
    protected final void resetEnvironmentBeforeEachContract() throws Exception {
        resetEnvironment();
    }

    @AfterEach
    protected final void closeEveryMonitorCreated() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        if (Thread.interrupted()) {
            failures.add(new AssertionError("a check left the test thread's interrupt flag set, but nothing"
                    + " interrupted it"));
        }
        for (WatchedCall call : calls) {
            if (call.awaitEnd(PROMPTLY).isEmpty()) {
                failures.add(new AssertionError("a check abandoned by the test was still running " + PROMPTLY
                        + " later; closing its monitor anyway"));
            }
        }
        for (Monitor monitor : created) {
            try {
                monitor.close();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
        }
        created.clear();
        calls.clear();
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            if (first instanceof RuntimeException exception) {
                throw exception;
            }
            throw (Error) first;
        }
    }

    private Monitor track(Monitor monitor, String hook) {
        created.add(Objects.requireNonNull(monitor, hook + " returned null"));
        return monitor;
    }

    private OperationContext context() {
        return contexts().build();
    }

    private WatchedCall watch(String name, WatchedCall.Body body) {
        WatchedCall call = WatchedCall.start(name, body);
        calls.add(call);
        return call;
    }

    @Test
    void healthyMonitorReportsHealthy() throws Exception {
        Monitor monitor = track(newHealthyMonitor(), "newHealthyMonitor()");

        for (int i = 1; i <= 3; i++) {
            CheckResult result = monitor.check(context());

            assertThat(result.status()).as("check number %d of newHealthyMonitor() said %s", i, result)
                    .isEqualTo(CheckResult.Status.HEALTHY);
        }
    }

    @Test
    void unhealthyMonitorReportsUnhealthyWithAReason() throws Exception {
        Monitor monitor = track(newUnhealthyMonitor(), "newUnhealthyMonitor()");

        CheckResult result = monitor.check(context());

        assertThat(result.status()).as("check of newUnhealthyMonitor() said %s", result)
                .isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).as("the reason of an Unhealthy result, which operators read").isNotBlank();
    }

    @Test
    void hangingMonitorHonoursInterrupts() throws Exception {
        Monitor monitor = track(newHangingMonitor(), "newHangingMonitor()");
        OperationContext context = contexts().deadline(Duration.ofSeconds(60)).build();
        WatchedCall call = watch("check-interrupted", () -> monitor.check(context));
        Sleeper.system().sleep(BEFORE_INTERRUPT); // real time: the check must really be under way

        call.interrupt();

        WatchedCall.Ending ending = call.awaitEnd(PROMPTLY).orElseGet(() -> fail(
                "check of newHangingMonitor() was still running %s after it was interrupted: the engine interrupts"
                        + " a check at the monitor's timeout, so the check must stop", PROMPTLY));
        assertThat(ending.thrown())
                .as("interrupted check of newHangingMonitor() %s; it must throw an InterruptedException or a"
                        + " KawariException", ending.describe())
                .isInstanceOfAny(InterruptedException.class, KawariException.class);
        if (ending.thrown() instanceof KawariException) {
            assertThat(ending.interruptedAfterwards())
                    .as("check threw a KawariException after an interrupt; it must restore the interrupt flag first")
                    .isTrue();
        }
    }

    @Test
    void hangingMonitorHonoursTheDeadline() throws Exception {
        Monitor monitor = track(newHangingMonitor(), "newHangingMonitor()");
        OperationContext context = contexts().deadline(SHORT_DEADLINE).build();

        WatchedCall call = watch("check-with-deadline", () -> monitor.check(context));

        WatchedCall.Ending ending = call.awaitEnd(PROMPTLY).orElseGet(() -> fail(
                "check of newHangingMonitor() with a deadline of %s was still running %s later: a check must bound"
                        + " its waits by context.deadline()", SHORT_DEADLINE, PROMPTLY));
        if (ending.thrown() == null) {
            assertThat(ending.returned())
                    .as("check of newHangingMonitor() past its deadline must not be Healthy")
                    .isInstanceOf(CheckResult.class)
                    .isNotInstanceOf(CheckResult.Healthy.class);
        } else {
            assertThat(ending.thrown())
                    .as("check of newHangingMonitor() with a deadline of %s %s; past its deadline it must return"
                            + " Unhealthy or Unknown, or throw a KawariException", SHORT_DEADLINE, ending.describe())
                    .isInstanceOf(KawariException.class);
        }
        assertThat(ending.interruptedAfterwards())
                .as("a passed deadline is not an interrupt: the check must not set the interrupt flag")
                .isFalse();
    }
}
