package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Resource} keeps (see {@code dev.kawari.spi}), as tests a kit inherits.
 *
 * <p>A kit's test extends this class and says how to build three resources; every test here then
 * runs against them:
 *
 * <pre>{@code
 * class ExecResourceContractTest extends ResourceContractTest {
 *     @TempDir Path directory;
 *
 *     @Override
 *     protected Resource newResource() {
 *         String marker = directory.resolve("marker").toString();
 *         return create("start = [touch, \"" + marker + "\"], stop = [rm, -f, \"" + marker + "\"],"
 *                 + " check = [test, -e, \"" + marker + "\"]");
 *     }
 *
 *     @Override
 *     protected Resource newSlowResource() {
 *         return create("start = [sleep, \"60\"], stop = [\"true\"]");
 *     }
 *
 *     @Override
 *     protected Resource newFailingResource() {
 *         return create("start = [\"false\"], stop = [\"true\"]");
 *     }
 *
 *     private Resource create(String block) {
 *         TestKitContext context = new TestKitContext();
 *         Resource resource = new ExecResourceType().create(KitConfigs.resource("exec", block), context);
 *         assertThat(context.problems()).isEmpty();
 *         return resource;
 *     }
 * }
 * }</pre>
 *
 * <p>What the hooks must provide:
 * <ul>
 *   <li>Each test calls at most one hook, at most once, so a hook may reuse the state of the test
 *       (a {@code @TempDir}, an emulator's endpoint); {@link #resetEnvironment()} runs before every
 *       test to give it a clean one.
 *   <li>After each test, this class removes (with a fresh 30 s context) and closes every resource a
 *       hook returned, whatever the test did; a failure to do so fails the test. It does so after the
 *       subclass's own {@code @AfterEach} methods, so those must not tear down what {@code remove}
 *       needs; {@code @TempDir} directories are still there.
 *   <li>Contexts come from {@link #contexts()}, which a kit overrides to give the node attributes
 *       it needs.
 * </ul>
 *
 * <p>Bounds such as {@link #PROMPTLY} are generous limits that keep a broken kit from hanging the
 * build, not performance targets.
 */
public abstract class ResourceContractTest {
    /** How long a call that must stop (a passed deadline, an interrupt) may still take. */
    protected static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** The deadline of the contexts in {@link #restoreHonoursTheDeadline()}. */
    protected static final Duration SHORT_DEADLINE = Duration.ofMillis(300);
    /** How long {@link #restoreHonoursInterrupts()} lets the restore run before it interrupts it. */
    protected static final Duration BEFORE_INTERRUPT = Duration.ofMillis(200);

    private final List<Resource> created = new ArrayList<>();
    private final List<WatchedCall> calls = new ArrayList<>();

    /** A resource whose restore succeeds, in a clean environment, never restored before. */
    protected abstract Resource newResource();

    /**
     * A resource whose restore would take 30 s or more unless its deadline or an interrupt stops
     * it (a command that sleeps, an API call against an endpoint that never answers).
     */
    protected abstract Resource newSlowResource();

    /** A resource whose restore fails (a command that exits 1, an API that refuses). */
    protected abstract Resource newFailingResource();

    /** Puts the environment the hooks build on back into a clean state; runs before every test. */
    protected void resetEnvironment() throws Exception {
    }

    /** The contexts every call of this class uses; override to set the node or the epoch. */
    protected OperationContexts.Builder contexts() {
        return OperationContexts.builder();
    }

    @BeforeEach
    protected final void resetEnvironmentBeforeEachContract() throws Exception {
        resetEnvironment();
    }

    @AfterEach
    protected final void removeEveryResourceCreated() throws Exception {
        List<Throwable> failures = new ArrayList<>();
        if (Thread.interrupted()) {
            failures.add(new AssertionError("a call left the test thread's interrupt flag set, but nothing"
                    + " interrupted it"));
        }
        for (WatchedCall call : calls) {
            if (call.awaitEnd(PROMPTLY).isEmpty()) {
                failures.add(new AssertionError("a call abandoned by the test was still running " + PROMPTLY
                        + " later; removing its resource anyway"));
            }
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            Resource resource = created.get(i);
            try (resource) {
                resource.remove(contexts().build());
            } catch (Exception | AssertionError e) {
                failures.add(e);
            }
        }
        created.clear();
        calls.clear();
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            if (first instanceof Exception exception) {
                throw exception;
            }
            throw (Error) first;
        }
    }

    private Resource fresh() {
        return track(newResource(), "newResource()");
    }

    private Resource slow() {
        return track(newSlowResource(), "newSlowResource()");
    }

    private Resource failing() {
        return track(newFailingResource(), "newFailingResource()");
    }

    private Resource track(Resource resource, String hook) {
        created.add(Objects.requireNonNull(resource, hook + " returned null"));
        return resource;
    }

    private OperationContext context() {
        return contexts().build();
    }

    private WatchedCall watch(String name, WatchedCall.Body body) {
        WatchedCall call = WatchedCall.start(name, body);
        calls.add(call);
        return call;
    }

    private static void assertHealthy(CheckResult result, String when) {
        assertThat(result.status()).as("check %s should be HEALTHY; it said %s", when, result)
                .isEqualTo(CheckResult.Status.HEALTHY);
    }

    private static void assertNotHealthy(CheckResult result, String when) {
        assertThat(result.status()).as("check %s must not be HEALTHY", when)
                .isNotEqualTo(CheckResult.Status.HEALTHY);
    }

    @Test
    void restoreThenCheckIsHealthy() throws Exception {
        Resource resource = fresh();

        resource.restore(context());

        assertHealthy(resource.check(context()), "after restore");
    }

    @Test
    void checkBeforeRestoreIsNotHealthy() throws Exception {
        Resource resource = fresh();

        assertNotHealthy(resource.check(context()), "of a resource never restored");
    }

    @Test
    void restoreTwiceIsIdempotent() throws Exception {
        Resource resource = fresh();

        resource.restore(context());
        resource.restore(context());

        assertHealthy(resource.check(context()), "after two restores");
    }

    @Test
    void removeAfterRestoreMakesCheckNotHealthy() throws Exception {
        Resource resource = fresh();
        resource.restore(context());

        resource.remove(context());

        assertNotHealthy(resource.check(context()), "after restore then remove");
    }

    @Test
    void removeTwiceIsIdempotent() throws Exception {
        Resource resource = fresh();
        resource.restore(context());

        resource.remove(context());
        resource.remove(context());

        assertNotHealthy(resource.check(context()), "after restore then two removes");
    }

    @Test
    void removeOfNeverRestoredResourceIsNoOp() throws Exception {
        Resource resource = fresh();

        resource.remove(context());

        assertNotHealthy(resource.check(context()), "after remove of a resource never restored");
    }

    @Test
    void restoreAfterRemoveIsHealthyAgain() throws Exception {
        Resource resource = fresh();
        resource.restore(context());
        resource.remove(context());

        resource.restore(context());

        assertHealthy(resource.check(context()), "after restore, remove and restore");
    }

    @Test
    void restoreHonoursTheDeadline() throws Exception {
        Resource resource = slow();
        OperationContext context = contexts().deadline(SHORT_DEADLINE).build();

        WatchedCall call = watch("restore-with-deadline", () -> {
            resource.restore(context);
            return null;
        });

        WatchedCall.Ending ending = call.awaitEnd(PROMPTLY).orElseGet(() -> fail(
                "restore of newSlowResource() with a deadline of %s was still running %s later: restore must"
                        + " bound its waits by context.deadline()", SHORT_DEADLINE, PROMPTLY));
        assertThat(ending.thrown())
                .as("restore of newSlowResource() with a deadline of %s %s; it must throw a KawariException"
                        + " (newSlowResource() must build a resource whose restore takes 30 s or more)",
                        SHORT_DEADLINE, ending.describe())
                .isInstanceOf(KawariException.class);
        assertThat(ending.interruptedAfterwards())
                .as("a passed deadline is not an interrupt: restore must not set the interrupt flag")
                .isFalse();
    }

    @Test
    void restoreHonoursInterrupts() throws Exception {
        Resource resource = slow();
        OperationContext context = contexts().deadline(Duration.ofSeconds(60)).build();
        WatchedCall call = watch("restore-interrupted", () -> {
            resource.restore(context);
            return null;
        });
        Sleeper.system().sleep(BEFORE_INTERRUPT); // real time: the restore must really be under way

        call.interrupt();

        WatchedCall.Ending ending = call.awaitEnd(PROMPTLY).orElseGet(() -> fail(
                "restore of newSlowResource() was still running %s after it was interrupted: restore must stop"
                        + " when its thread is interrupted", PROMPTLY));
        assertThat(ending.thrown())
                .as("interrupted restore of newSlowResource() %s; it must throw a KawariException or an"
                        + " InterruptedException", ending.describe())
                .isInstanceOfAny(KawariException.class, InterruptedException.class);
        if (ending.thrown() instanceof KawariException) {
            assertThat(ending.interruptedAfterwards())
                    .as("restore threw a KawariException after an interrupt; it must restore the interrupt flag"
                            + " first (KawariException.interrupted does)")
                    .isTrue();
        }
    }

    @Test
    void failuresCarryAnErrorCode() throws Exception {
        Resource resource = failing();

        Throwable thrown = catchThrowable(() -> resource.restore(context()));

        assertThat(thrown).as("restore of newFailingResource() must throw a KawariException")
                .isInstanceOf(KawariException.class);
        KawariException failure = (KawariException) thrown;
        assertThat(failure.code()).isNotNull();
        assertThat(failure.type()).isNotNull();
        assertThat(failure.getMessage()).as("the message of %s", failure.code()).isNotBlank();
    }

    @Test
    void checkChangesNothing() throws Exception {
        Resource resource = fresh();

        assertNotHealthy(resource.check(context()), "of a resource never restored");
        assertNotHealthy(resource.check(context()), "repeated on a resource never restored");

        resource.restore(context());
        for (int i = 1; i <= 3; i++) {
            assertHealthy(resource.check(context()), "number " + i + " after restore");
        }
    }
}
