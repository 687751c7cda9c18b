package dev.kawari.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.testkit.LeftoverProcesses;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    static final CommandErrorCodes CODES = new CommandErrorCodes(
            new ErrorCode("TEST_COMMAND_FAILED", ErrorType.EXTERNAL),
            new ErrorCode("TEST_COMMAND_NOT_FOUND", ErrorType.CONFIGURATION),
            new ErrorCode("TEST_OUTPUT_UNAVAILABLE", ErrorType.EXTERNAL));
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** A generous bound for what must end promptly; not a performance target. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path outputs;

    private final RecordingEventSink events = new RecordingEventSink();
    private final OperationContext context = OperationContexts.builder().events(events).deadline(MINUTE).build();
    private final LeftoverProcesses leftovers = new LeftoverProcesses();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        leftovers.killAll();
    }

    private CommandRunner runner() {
        return new CommandRunner(CODES, outputs);
    }

    private static Command command(String... argv) {
        return Command.of(List.of(argv));
    }

    private CommandResult run(Command command, Duration limit) throws InterruptedException {
        return runner().run("test command '" + command.program() + "'", command, limit, context);
    }

    @Test
    void theExitCodeIsReported() throws Exception {
        CommandResult result = run(command("sh", "-c", "exit 7"), MINUTE);

        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.EXITED);
        assertThat(result.exitCode()).isEqualTo(7);
    }

    @Test
    void outputGoesIntoANote() throws Exception {
        run(command("sh", "-c", "echo to-stdout; echo to-stderr >&2"), MINUTE);

        RecordingEventSink.Note note = events.lastNote();
        assertThat(note.message()).matches("test command 'sh' exited 0 in \\d+ ms");
        assertThat(note.details()).containsEntry("command", "sh -c echo to-stdout; echo to-stderr >&2")
                .containsEntry("exit-code", "0")
                .containsEntry("output", "to-stdout\nto-stderr\n");
    }

    @Test
    void outputIsBoundedToItsLastEightKibibytes() throws Exception {
        // 6400 lines of 17 bytes: about 106 KiB
        CommandResult result = run(command("sh", "-c", "yes 0123456789abcdef | head -n 6400; echo last"), MINUTE);

        String output = events.lastNote().details().get("output");
        assertThat(output.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(CommandRunner.OUTPUT_TAIL_BYTES)
                .isGreaterThan(CommandRunner.OUTPUT_TAIL_BYTES - 100);
        assertThat(output).startsWith("0123456789abcdef\n").endsWith("0123456789abcdef\nlast\n");
        assertThat(result.output()).isEqualTo(output);
    }

    @Test
    void theOutputFileIsDeleted() throws Exception {
        run(command("echo", "hello"), MINUTE);
        run(command("sleep", "60"), Duration.ofMillis(100));

        try (Stream<Path> left = Files.list(outputs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theEnvironmentIsInheritedAndExtended() throws Exception {
        Command command = new Command(List.of("sh", "-c", "printf '%s %s' \"$KAWARI_TEST\" \"${HOME:+home-set}\""),
                Map.of("KAWARI_TEST", "from-config"), Optional.empty());

        CommandResult result = run(command, MINUTE);

        assertThat(result.output()).isEqualTo("from-config home-set");
    }

    @Test
    void theDirectoryIsApplied(@TempDir Path directory) throws Exception {
        Command command = new Command(List.of("pwd", "-P"), Map.of(), Optional.of(directory));

        CommandResult result = run(command, MINUTE);

        assertThat(result.output().strip()).isEqualTo(directory.toRealPath().toString());
    }

    @Test
    void standardInputIsEmpty() throws Exception {
        CommandResult result = run(command("cat"), PROMPTLY);

        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.EXITED);
        assertThat(result.output()).isEmpty();
    }

    @Test
    void aMissingProgramIsNotStarted() throws Exception {
        CommandResult result = run(command("/nonexistent/kawari-no-such-program", "x"), MINUTE);

        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.NOT_STARTED);
        assertThat(result.startFailure()).contains("/nonexistent/kawari-no-such-program");
        assertThat(events.lastNote().message()).startsWith("test command '/nonexistent/kawari-no-such-program' could not start");
    }

    @Test
    void aMissingDirectoryIsNotStarted(@TempDir Path directory) throws Exception {
        Command command = new Command(List.of("true"), Map.of(), Optional.of(directory.resolve("missing")));

        CommandResult result = run(command, MINUTE);

        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.NOT_STARTED);
        assertThat(result.startFailure()).contains("missing").contains("does not exist");
    }

    @Test
    void aCommandPastItsLimitIsKilledWithItsChildren() throws Exception {
        long started = System.nanoTime();

        // The limit leaves the shell ample time to print both process ids before it is killed.
        CommandResult result = run(command("sh", "-c", "sleep 60 & echo pid $!; echo pid $$; sleep 60"),
                Duration.ofMillis(1500));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.TIMED_OUT);
        List<Long> pids = LeftoverProcesses.pids(result.output());
        assertThat(pids).hasSize(2);
        assertThat(pids).noneMatch(LeftoverProcesses::running);
        assertThat(events.lastNote().message()).isEqualTo("test command 'sh' timed out after 1500ms and was killed");
        assertThat(events.lastNote().details()).containsEntry("exit-code", "none").doesNotContainKey("still-running");
    }

    @Test
    void anInterruptKillsTheCommandWithItsChildren() throws Exception {
        Future<CommandResult> running = threads.submit(() ->
                run(command("sh", "-c", "sleep 60 & echo pid $!; echo pid $$; sleep 60"), MINUTE));
        awaitOutput("pid \\d+\n(?s:.*)pid \\d+\n"); // both processes have started

        running.cancel(true);

        threads.shutdown();
        assertThat(threads.awaitTermination(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
        RecordingEventSink.Note note = events.lastNote();
        assertThat(note.message()).startsWith("test command 'sh' was interrupted after");
        List<Long> pids = LeftoverProcesses.pids(note.details().get("output"));
        assertThat(pids).hasSize(2);
        assertThat(pids).noneMatch(LeftoverProcesses::running);
    }

    @Test
    void anInterruptedRunThrowsInterruptedException() throws Exception {
        Future<Class<?>> thrown = threads.submit(() -> {
            try {
                run(command("sleep", "60"), MINUTE);
                return null;
            } catch (InterruptedException e) {
                return e.getClass();
            }
        });
        LeftoverProcesses.awaitDescendantRunning("sleep");

        threads.shutdownNow();

        assertThat(thrown.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo(InterruptedException.class);
    }

    @Test
    void aDaemonLeftBehindDoesNotHoldTheRunOpen() throws Exception {
        long started = System.nanoTime();

        CommandResult result = run(command("sh", "-c", "sleep 30 & echo pid $!; exit 0"), MINUTE);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.EXITED);
        assertThat(result.exitCode()).isZero();
        List<ProcessHandle> daemon = leftovers.from(result.output());
        assertThat(daemon).hasSize(1).allMatch(LeftoverProcesses::running); // a start command's daemon is left alone
    }

    @Test
    void noFileForTheOutputIsAnExternalRetryableFailure(@TempDir Path directory) {
        CommandRunner runner = new CommandRunner(CODES, directory.resolve("missing"));

        assertThatThrownBy(() -> runner.run("test command 'true'", command("true"), MINUTE, context))
                .isInstanceOfSatisfying(KawariException.class, e -> {
                    assertThat(e.code()).isEqualTo(CODES.outputUnavailable());
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void anActionFailsWithTheKitsCodesAndTheLastLinesOfOutput() {
        KawariException failed = catchThrowableOfType(KawariException.class, () -> runner().runAction(
                "start command 'sh'", command("sh", "-c", "echo first; echo cannot start >&2; exit 4"), MINUTE, context));
        KawariException notFound = catchThrowableOfType(KawariException.class, () -> runner().runAction(
                "start command 'nope'", command("/nonexistent/kawari-nope"), MINUTE, context));
        KawariException killed = catchThrowableOfType(KawariException.class, () -> runner().runAction(
                "stop command 'sleep'", command("sleep", "60"), Duration.ofMillis(200), context));

        assertThat(failed.code()).isEqualTo(CODES.failed());
        assertThat(failed.getMessage()).isEqualTo("start command 'sh' exited with 4; last output: first | cannot start");
        assertThat(notFound.code()).isEqualTo(CODES.notFound());
        assertThat(killed.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(killed.getMessage()).startsWith("stop command 'sleep' did not finish within 200ms and was killed");
    }

    @Test
    void anActionWhoseDeadlineHasPassedIsNotRun() throws Exception {
        Path marker = outputs.resolveSibling(outputs.getFileName() + "-ran");
        OperationContext expired = OperationContexts.builder().deadline(Duration.ZERO).events(events).build();

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> runner().runAction(
                "start command 'touch'", command("touch", marker.toString()), MINUTE, expired));

        assertThat(thrown.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(marker).doesNotExist();
        assertThat(events.notes()).isEmpty();
    }

    /** Waits, boundedly and in real time, until the running command's output file matches {@code pattern}. */
    private void awaitOutput(String pattern) throws Exception {
        Pattern expected = Pattern.compile(pattern);
        long until = System.nanoTime() + PROMPTLY.toNanos();
        while (!outputMatches(expected)) {
            assertThat(System.nanoTime()).as("output matching %s within %s", pattern, PROMPTLY).isLessThan(until);
            Sleeper.system().sleep(Duration.ofMillis(20));
        }
    }

    private boolean outputMatches(Pattern expected) throws Exception {
        try (Stream<Path> files = Files.list(outputs)) {
            for (Path file : files.toList()) {
                if (expected.matcher(Files.readString(file)).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
