package dev.kawari.kit.exec;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@link Command}s: without a shell, with standard input from {@code /dev/null}, and with
 * standard output and error in a temporary file rather than a pipe. A start command that leaves a
 * daemon behind hands it its output descriptors; with a pipe, reading to the end would wait for the
 * daemon to exit, while a file lets the command's own exit end the run. After the run, the last
 * {@link #OUTPUT_TAIL_BYTES} bytes of the output go into a note on the context's event sink and the
 * file is deleted.
 *
 * <p>A command that outlives its limit, or whose thread is interrupted, is killed together with
 * every process it started ({@link ProcessTree}).
 */
final class CommandRunner {
    /** How much of a command's output is kept, from its end. */
    static final int OUTPUT_TAIL_BYTES = 8 * 1024;
    /** How long a command asked to terminate gets before it is killed outright. */
    static final Duration KILL_GRACE = Duration.ofSeconds(1);

    private static final File NULL_DEVICE = new File("/dev/null");

    private final Path outputDirectory;

    /** A runner that keeps output files in the system's temporary directory. */
    CommandRunner() {
        this(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A runner that keeps output files in {@code outputDirectory}. */
    CommandRunner(Path outputDirectory) {
        this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /**
     * Runs an action's command (start, stop) within {@code configured} and the context's deadline.
     *
     * @param what the command for messages ("start command 'systemctl'")
     * @throws KawariException if the command fails under the exit-code convention, if the deadline
     *     has passed, or if the thread is interrupted (then with the interrupt flag set)
     */
    void runAction(String what, Command command, Duration configured, OperationContext context) {
        context.deadline().check("starting the " + what);
        CommandResult result;
        try {
            result = run(command, context.deadline().cap(configured), context);
        } catch (InterruptedException e) {
            throw KawariException.interrupted(what + " was interrupted and killed", e);
        }
        Optional<KawariException> failure = result.asActionFailure(what);
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    /**
     * Runs a check's command within {@code configured} and the context's deadline, and reads its
     * answer under the exit-code convention.
     *
     * @param what the command for messages ("check command 'test'")
     * @throws InterruptedException if the thread is interrupted; the command is killed first
     */
    CheckResult runCheck(String what, Command command, Duration configured, OperationContext context)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the " + what + " started");
        }
        Duration limit = context.deadline().cap(configured);
        if (limit.isZero()) {
            return CheckResult.unknown(what + " was not run: the check's deadline had already passed");
        }
        CommandResult result;
        try {
            result = run(command, limit, context);
        } catch (KawariException e) {
            if (e.code().equals(ExecKit.EXEC_OUTPUT_UNAVAILABLE)) {
                return CheckResult.unknown(what + " was not run: " + e.getMessage());
            }
            throw e;
        }
        return result.asCheck(what);
    }

    /**
     * Runs {@code command} for at most {@code limit} and notes how it ended.
     *
     * @throws InterruptedException if the thread is interrupted while the command runs; the command
     *     and its descendants are killed first
     * @throws KawariException {@link ExecKit#EXEC_OUTPUT_UNAVAILABLE} if no file for the output can be
     *     made
     */
    CommandResult run(Command command, Duration limit, OperationContext context) throws InterruptedException {
        Path output;
        try {
            // Created readable by the agent's user only: output may say more than operators want shared.
            output = Files.createTempFile(outputDirectory, "kawari-exec-", ".out");
        } catch (IOException e) {
            throw new KawariException(ExecKit.EXEC_OUTPUT_UNAVAILABLE, true,
                    "cannot create a file for the output of '" + command.program() + "' in " + outputDirectory
                            + ": " + e, e);
        }
        try {
            return run(command, limit, context, output);
        } finally {
            delete(output, context);
        }
    }

    private CommandResult run(Command command, Duration limit, OperationContext context, Path output)
            throws InterruptedException {
        long started = context.time().nanoTime();
        if (command.directory().isPresent() && !Files.isDirectory(command.directory().get())) {
            return noted(CommandResult.notStarted("working directory " + command.directory().get()
                    + " does not exist or is not a directory", since(started, context), limit), command, context);
        }
        ProcessBuilder builder = new ProcessBuilder(command.argv())
                .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
        builder.environment().putAll(command.environment());
        command.directory().ifPresent(directory -> builder.directory(directory.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return noted(CommandResult.notStarted(why, since(started, context), limit), command, context);
        }
        boolean exited;
        try {
            exited = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            List<ProcessHandle> survivors = ProcessTree.stop(process, KILL_GRACE);
            note(context, command, "exec " + command.program() + " was interrupted after "
                    + since(started, context).toMillis() + " ms and killed", "none", tail(output), survivors);
            throw e;
        }
        if (!exited) {
            List<ProcessHandle> survivors = ProcessTree.stop(process, KILL_GRACE);
            return noted(CommandResult.timedOut(since(started, context), limit, tail(output)), command, context,
                    survivors);
        }
        return noted(CommandResult.exited(process.exitValue(), since(started, context), limit, tail(output)),
                command, context);
    }

    private static CommandResult noted(CommandResult result, Command command, OperationContext context) {
        return noted(result, command, context, List.of());
    }

    private static CommandResult noted(CommandResult result, Command command, OperationContext context,
            List<ProcessHandle> survivors) {
        String message = switch (result.outcome()) {
            case EXITED -> "exec " + command.program() + " exited " + result.exitCode() + " in "
                    + result.elapsed().toMillis() + " ms";
            case TIMED_OUT -> "exec " + command.program() + " timed out after " + CommandResult.text(result.limit())
                    + " and was killed";
            case NOT_STARTED -> "exec " + command.program() + " could not start: " + result.startFailure();
        };
        String exitCode = result.outcome() == CommandResult.Outcome.EXITED
                ? Integer.toString(result.exitCode())
                : "none";
        note(context, command, message, exitCode, result.output(), survivors);
        return result;
    }

    private static void note(OperationContext context, Command command, String message, String exitCode,
            String output, List<ProcessHandle> survivors) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("command", command.line());
        details.put("exit-code", exitCode);
        details.put("output", output);
        if (!survivors.isEmpty()) {
            details.put("still-running", survivors.stream().map(handle -> Long.toString(handle.pid()))
                    .collect(Collectors.joining(" ")));
        }
        context.events().note(message, details);
    }

    private static Duration since(long started, OperationContext context) {
        return Duration.ofNanos(context.time().nanoTime() - started);
    }

    /** The last {@link #OUTPUT_TAIL_BYTES} bytes of the output, from the first whole line among them. */
    private static String tail(Path output) {
        try (SeekableByteChannel channel = Files.newByteChannel(output)) {
            long size = channel.size();
            long from = Math.max(0, size - OUTPUT_TAIL_BYTES);
            channel.position(from);
            ByteBuffer bytes = ByteBuffer.allocate((int) (size - from));
            int read;
            do {
                read = channel.read(bytes);
            } while (read >= 0 && bytes.hasRemaining());
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
            int firstBreak = text.indexOf('\n');
            // The cut fell inside a line (perhaps inside a character): start at the next whole one.
            return from > 0 && firstBreak >= 0 ? text.substring(firstBreak + 1) : text;
        } catch (IOException e) {
            return "(output unavailable: " + e + ")";
        }
    }

    private static void delete(Path output, OperationContext context) {
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            context.events().note("could not delete the output file of a command: " + e,
                    Map.of("path", output.toString()));
        }
    }
}
