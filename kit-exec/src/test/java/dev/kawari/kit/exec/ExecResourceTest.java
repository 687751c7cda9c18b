package dev.kawari.kit.exec;

import static dev.kawari.kit.exec.ExecBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.LeftoverProcesses;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecResourceTest {
    /** A generous bound for what must end promptly; not a performance target. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private final RecordingEventSink events = new RecordingEventSink();
    private final LeftoverProcesses leftovers = new LeftoverProcesses();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        leftovers.killAll();
    }

    private OperationContext context() {
        return OperationContexts.builder().events(events).build();
    }

    private static Resource startingWith(List<String> start) {
        return ExecBlocks.resource(block("start", start, "stop", List.of("true")));
    }

    private static Resource checkingWith(String script) {
        return ExecBlocks.resource(block("start", List.of("true"), "stop", List.of("true"),
                "check", List.of("sh", "-c", script)));
    }

    @Test
    void startExitingZeroSucceeds() throws Exception {
        startingWith(List.of("true")).restore(context());

        assertThat(events.lastNote().details()).containsEntry("exit-code", "0");
    }

    @Test
    void startExitingNonZeroFailsWithTheProgramTheCodeAndTheOutput() {
        Resource resource = startingWith(List.of("sh", "-c", "echo first; echo 'slapd: address in use' >&2; exit 4"));

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context()));

        assertThat(failure.code()).isEqualTo(ExecKit.EXEC_COMMAND_FAILED);
        assertThat(failure.type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).isEqualTo(
                "start command 'sh' exited with 4; last output: first | slapd: address in use");
    }

    @Test
    void stopExitingNonZeroFails() {
        Resource resource = ExecBlocks.resource(block("start", List.of("true"), "stop", List.of("sh", "-c", "exit 1")));

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.remove(context()));

        assertThat(failure.code()).isEqualTo(ExecKit.EXEC_COMMAND_FAILED);
        assertThat(failure.getMessage()).isEqualTo("stop command 'sh' exited with 1 (no output)");
    }

    @Test
    void aMissingProgramIsAConfigurationError() {
        Resource resource = startingWith(List.of("/nonexistent/kawari-start"));

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context()));

        assertThat(failure.code()).isEqualTo(ExecKit.EXEC_COMMAND_NOT_FOUND);
        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(failure.getMessage()).startsWith("start command '/nonexistent/kawari-start' could not be started");
    }

    @Test
    void aStartPastItsTimeoutIsKilledAndTimedOut() {
        Resource resource = ExecBlocks.resource(block("start", List.of("sleep", "60"), "stop", List.of("true"),
                "timeouts.start", "300ms"));
        long started = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context()));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        assertThat(failure.code()).isEqualTo(ErrorCode.ACTION_TIMED_OUT);
        assertThat(failure.getMessage()).startsWith("start command 'sleep' did not finish within 300ms and was killed");
    }

    @Test
    void theDeadlineCutsTheConfiguredTimeoutShort() {
        Resource resource = startingWith(List.of("sleep", "60"));
        OperationContext context = OperationContexts.builder().events(events).deadline(Duration.ofMillis(400)).build();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context));

        assertThat(failure.code()).isEqualTo(ErrorCode.ACTION_TIMED_OUT);
        assertThat(failure.getMessage()).containsPattern("within (3\\d\\d|400)ms");
    }

    @Test
    void aPassedDeadlineRunsNothing() {
        Resource resource = startingWith(List.of("true"));
        OperationContext context = OperationContexts.builder().events(events).deadline(Duration.ZERO).build();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> resource.restore(context));

        assertThat(failure.code()).isEqualTo(ErrorCode.ACTION_TIMED_OUT);
        assertThat(events.notes()).isEmpty();
    }

    @Test
    void anInterruptedStartThrowsInterruptedWithTheFlagSet() throws Exception {
        Resource resource = startingWith(List.of("sleep", "60"));
        Future<String> outcome = threads.submit(() -> {
            try {
                resource.restore(context());
                return "returned";
            } catch (KawariException e) {
                return e.code().name() + " interrupted=" + Thread.currentThread().isInterrupted();
            }
        });
        LeftoverProcesses.awaitDescendantRunning("sleep");

        threads.shutdownNow();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("ACTION_INTERRUPTED interrupted=true");
        assertThat(events.lastNote().message()).startsWith("start command 'sleep' was interrupted after");
    }

    @Test
    void aStartCommandThatLeavesADaemonReturnsPromptly() throws Exception {
        Resource resource = startingWith(List.of("sh", "-c", "sleep 30 & echo pid $!; exit 0"));
        long started = System.nanoTime();

        resource.restore(context());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        assertThat(leftovers.from(events.lastNote().details().get("output"))).hasSize(1);
    }

    @Test
    void checkExitingZeroIsHealthy() throws Exception {
        assertThat(checkingWith("exit 0").check(context())).isEqualTo(CheckResult.healthy());
    }

    @Test
    void checkExitingOneIsUnhealthyWithTheCodeAndTheLastLine() throws Exception {
        CheckResult result = checkingWith("echo probing; echo 'connection refused'; exit 1").check(context());

        assertThat(result).isEqualTo(CheckResult.unhealthy("check command 'sh' exited with 1: connection refused"));
    }

    @Test
    void checkExitingThreeIsUnknown() throws Exception {
        CheckResult result = checkingWith("echo 'API throttled'; exit 3").check(context());

        assertThat(result).isEqualTo(
                CheckResult.unknown("check command 'sh' exited with 3 (could not tell): API throttled"));
    }

    @Test
    void checkExitingWithAnyOtherCodeIsUnhealthy() throws Exception {
        assertThat(checkingWith("exit 2").check(context()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(checkingWith("exit 4").check(context()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(checkingWith("kill -9 $$").check(context()))
                .isEqualTo(CheckResult.unhealthy("check command 'sh' exited with 137"));
    }

    @Test
    void aCheckPastItsTimeoutHungAndIsUnhealthy() throws Exception {
        Resource resource = ExecBlocks.resource(block("start", List.of("true"), "stop", List.of("true"),
                "check", List.of("sleep", "60"), "timeouts.check", "300ms"));

        CheckResult result = resource.check(context());

        assertThat(result)
                .isEqualTo(CheckResult.unhealthy("check command 'sleep' timed out after 300ms and was killed"));
    }

    @Test
    void aCheckWhoseProgramIsMissingIsUnhealthy() throws Exception {
        Resource resource = ExecBlocks.resource(block("start", List.of("true"), "stop", List.of("true"),
                "check", List.of("/nonexistent/kawari-check")));

        CheckResult result = resource.check(context());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).startsWith("check command '/nonexistent/kawari-check' could not be started");
    }

    @Test
    void withoutACheckCommandTheCheckIsUnknown() throws Exception {
        CheckResult result = startingWith(List.of("true")).check(context());

        assertThat(result).isEqualTo(CheckResult.unknown("no check command configured"));
        assertThat(events.notes()).isEmpty();
    }

    @Test
    void anInterruptedCheckThrowsInterruptedException() throws Exception {
        Resource resource = checkingWith("sleep 60");
        Future<String> outcome = threads.submit(() -> {
            try {
                return resource.check(context()).toString();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        LeftoverProcesses.awaitDescendantRunning("sleep");

        threads.shutdownNow();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted");
    }

    @Test
    void environmentAndDirectoryApplyToEveryCommand(@TempDir Path directory) throws Exception {
        Resource resource = ExecBlocks.resource(block(
                "start", List.of("sh", "-c", "echo \"$GREETING\" > started"),
                "stop", List.of("rm", "-f", "started"),
                "check", List.of("grep", "-q", "hello", "started"),
                "environment", Map.of("GREETING", "hello"),
                "directory", directory.toString()));

        resource.restore(context());
        assertThat(resource.check(context()).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(directory.resolve("started")).hasContent("hello");

        resource.remove(context());
        assertThat(directory.resolve("started")).doesNotExist();
    }
}
