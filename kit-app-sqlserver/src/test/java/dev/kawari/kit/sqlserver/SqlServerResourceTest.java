package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.Action;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.ManualSleeper;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sqlserver resource's commands and its wait for readiness, on a fake clock, against a refused port. */
class SqlServerResourceTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final FakeClock clock = new FakeClock();
    private final ManualSleeper sleeper = new ManualSleeper(clock);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static Resource create(String commands, int port) {
        TestKitContext context = new TestKitContext();
        Resource resource = new SqlServerResourceType(Map.of("SQL_PASSWORD", "Resource-Pa55")::get).create(
                KitConfigs.resource("sqlserver", commands + ", url = \"jdbc:sqlserver://127.0.0.1:" + port
                        + "\", user = sa, password-env = SQL_PASSWORD, login-timeout = 1s, ready-timeout = 4s"), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }

    @Test
    void restoreGivesUpAfterReadyTimeoutWhenNoLoginSucceeds() throws Exception {
        Resource resource = create("start = [\"true\"], stop = [\"true\"]", SilentServer.closedPort());
        RecordingEventSink events = new RecordingEventSink();

        Future<?> restore = executor.submit(() -> {
            resource.restore(OperationContexts.builder().time(clock).sleeper(sleeper).deadline(Duration.ofMinutes(5))
                    .events(events).build());
            return null;
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!restore.isDone() && System.nanoTime() < until) {
            if (sleeper.sleeping() > 0) {
                clock.advance(Duration.ofSeconds(1));
            } else {
                Thread.sleep(5); // real time: a probe is trying to log in
            }
        }

        Throwable thrown = catchThrowableOfType(ExecutionException.class, () -> restore.get(1, TimeUnit.SECONDS))
                .getCause();
        KawariException failure = (KawariException) thrown;
        assertThat(failure.code()).isEqualTo(SqlServerKit.SQLSERVER_NOT_READY);
        assertThat(failure.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(failure.getMessage()).contains("ready-timeout", "unreachable").doesNotContain("Resource-Pa55");
        assertThat(sleeper.sleeps()).startsWith(Duration.ofMillis(200), Duration.ofMillis(400))
                .allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(2)));
        assertThat(events.messages()).anyMatch(message -> message.startsWith("start command 'true' exited 0"));
    }

    @Test
    void missingStartProgramIsAConfigurationProblem() throws Exception {
        Resource resource = create("start = [\"/nonexistent/mssql-start\"], stop = [\"true\"]", SilentServer.closedPort());

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> resource.restore(OperationContexts.standard()));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_COMMAND_NOT_FOUND);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
    }

    @Test
    void failingStopCommandCarriesItsOutput() throws Exception {
        Resource resource = create("start = [\"true\"], stop = [sh, -c, \"echo Access is denied >&2; exit 5\"]",
                SilentServer.closedPort());

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> resource.remove(OperationContexts.standard()));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_COMMAND_FAILED);
        assertThat(thrown.getMessage()).contains("exited with 5", "Access is denied");
    }

    @Test
    void actionTimeoutsFollowReadyTimeout() throws Exception {
        Resource resource = create("start = [\"true\"], stop = [\"true\"]", 1433);

        assertThat(resource.timeout(Action.RESTORE)).isEqualTo(Duration.ofSeconds(9));
        assertThat(resource.timeout(Action.RECOVER)).isEqualTo(Duration.ofSeconds(13));
        assertThat(resource.timeout(Action.CHECK)).isEqualTo(Duration.ofSeconds(15));
    }
}
