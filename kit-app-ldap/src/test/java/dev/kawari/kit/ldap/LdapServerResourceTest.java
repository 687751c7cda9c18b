package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.ManualSleeper;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ldap-server resource's waiting and command logic, on a fake clock: real commands ({@code true},
 * {@code false}, {@code touch}), real probes against the in-memory server or a closed port.
 */
class LdapServerResourceTest {
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final FakeClock clock = new FakeClock();
    private final ManualSleeper sleeper = new ManualSleeper(clock);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static Resource create(String block) {
        TestKitContext context = new TestKitContext();
        Resource resource = new LdapServerResourceType().create(KitConfigs.resource("ldap-server", block), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }

    private OperationContext fakeTime(RecordingEventSink events) {
        return OperationContexts.builder().time(clock).sleeper(sleeper).deadline(Duration.ofMinutes(5))
                .events(events).build();
    }

    /** Advances the fake clock by {@code step} each time the action sleeps, until it ends (20 s of real time at most). */
    private void advanceUntilDone(Future<?> action, Duration step) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!action.isDone() && System.nanoTime() < until) {
            if (sleeper.sleeping() > 0) {
                clock.advance(step);
            } else {
                Thread.sleep(5); // real time: the action is probing or running a command
            }
        }
    }

    @Test
    void restoreGivesUpAfterReadyTimeoutWhenNothingAnswers() throws Exception {
        int port = SilentServer.closedPort();
        Resource resource = create("start = [\"true\"], stop = [\"true\"], url = \"ldap://127.0.0.1:" + port
                + "\", ready-timeout = 5s");
        RecordingEventSink events = new RecordingEventSink();

        Future<?> restore = executor.submit(() -> {
            resource.restore(fakeTime(events));
            return null;
        });
        advanceUntilDone(restore, Duration.ofMillis(500));

        Throwable thrown = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> restore.get(10, TimeUnit.SECONDS)).getCause();
        assertThat(thrown).isInstanceOf(KawariException.class);
        KawariException failure = (KawariException) thrown;
        assertThat(failure.code()).isEqualTo(LdapKit.LDAP_SERVER_NOT_READY);
        assertThat(failure.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(failure.getMessage()).contains("ready-timeout", "does not answer");
        assertThat(sleeper.sleeps()).as("pauses grow from 100 ms and never exceed 1 s")
                .startsWith(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(800), Duration.ofSeconds(1))
                .allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(events.messages()).anyMatch(message -> message.startsWith("start command 'true' exited 0"));
    }

    @Test
    void restoreOfAServerThatAlreadyAnswersRunsNoStart() throws Exception {
        Path marker = dir.resolve("started");
        try (InMemoryDirectory directory = new InMemoryDirectory(dir)) {
            Resource resource = create("start = [touch, \"" + marker + "\"], stop = [\"true\"], url = \""
                    + directory.ldapUrl() + "\"");
            RecordingEventSink events = new RecordingEventSink();

            resource.restore(fakeTime(events));

            assertThat(marker).doesNotExist();
            assertThat(events.messages()).anyMatch(message -> message.contains("already answers"));
            assertThat(resource.check(OperationContexts.standard())).isEqualTo(CheckResult.healthy());
        }
    }

    @Test
    void removeFailsWhenTheServerStillAnswersAfterReadyTimeout() throws Exception {
        try (InMemoryDirectory directory = new InMemoryDirectory(dir)) {
            Resource resource = create("start = [\"true\"], stop = [\"true\"], url = \"" + directory.ldapUrl()
                    + "\", ready-timeout = 3s");

            Future<?> remove = executor.submit(() -> {
                resource.remove(fakeTime(new RecordingEventSink()));
                return null;
            });
            advanceUntilDone(remove, Duration.ofSeconds(1));

            Throwable thrown = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> remove.get(10, TimeUnit.SECONDS)).getCause();
            assertThat(((KawariException) thrown).code()).isEqualTo(LdapKit.LDAP_SERVER_STILL_ANSWERS);
        }
    }

    @Test
    void failingStartCommandCarriesItsExitCodeAndOutput() throws Exception {
        Resource resource = create("start = [sh, -c, \"echo slapd: bad config line 7 >&2; exit 1\"],"
                + " stop = [\"true\"], url = \"ldap://127.0.0.1:" + SilentServer.closedPort() + "\"");

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> resource.restore(OperationContexts.standard()));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_SERVER_COMMAND_FAILED);
        assertThat(thrown.getMessage()).contains("exited with 1", "bad config line 7");
    }

    @Test
    void missingProgramIsAConfigurationProblem() throws Exception {
        Resource resource = create("start = [\"/nonexistent/slapd\"], stop = [\"true\"], url = \"ldap://127.0.0.1:"
                + SilentServer.closedPort() + "\"");

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> resource.restore(OperationContexts.standard()));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_SERVER_COMMAND_NOT_FOUND);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
    }

    @Test
    void checkIsUnhealthyWhenNothingListens() throws Exception {
        Resource resource = create("start = [\"true\"], stop = [\"true\"], url = \"ldap://127.0.0.1:"
                + SilentServer.closedPort() + "\"");

        CheckResult result = resource.check(OperationContexts.standard());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("does not answer");
    }

    @Test
    void checkOfASilentServerIsUnhealthyWithinItsDeadline() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Resource resource = create("start = [\"true\"], stop = [\"true\"], url = \"ldap://127.0.0.1:"
                    + silent.port() + "\"");

            CheckResult result = resource.check(OperationContexts.builder().deadline(Duration.ofMillis(300)).build());

            assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        }
    }

    @Test
    void actionTimeoutsFollowReadyTimeout() {
        Resource resource = create("start = [\"true\"], stop = [\"true\"], ready-timeout = 20s");

        assertThat(resource.timeout(dev.kawari.spi.Action.RESTORE)).isEqualTo(Duration.ofSeconds(25));
        assertThat(resource.timeout(dev.kawari.spi.Action.REMOVE)).isEqualTo(Duration.ofSeconds(25));
        assertThat(resource.timeout(dev.kawari.spi.Action.RECOVER)).isEqualTo(Duration.ofSeconds(45));
        assertThat(resource.timeout(dev.kawari.spi.Action.CHECK)).isEqualTo(Duration.ofSeconds(10));
    }
}
