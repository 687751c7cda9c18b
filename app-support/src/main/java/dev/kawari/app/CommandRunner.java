package dev.kawari.app;

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
 * Runs {@link Command}s for kits: the start and stop commands of a server, the commands of the
 * {@code exec} kit. A command runs without a shell, with standard input from {@code /dev/null}, and
 * with standard output and error in a temporary file rather than a pipe. A start command that leaves
 * a daemon behind hands it its output descriptors; with a pipe, reading to the end would wait for the
 * daemon to exit, while a file lets the command's own exit end the run. After the run, the last
 * {@link #OUTPUT_TAIL_BYTES} bytes of the output go into a note on the context's event sink and the
 * file is deleted.
 *
 * <p>A command that outlives its limit, or whose thread is interrupted, is asked to terminate together
 * with every process it started, and killed {@link #KILL_GRACE} later if it has not.
 *
 * <p>Thread-safe: it holds only its configuration.
 */
public final class CommandRunner {
    /** How much of a command's output is kept, from its end. */
    public static final int OUTPUT_TAIL_BYTES = 8 * 1024;
    /** How long a command asked to terminate gets before it is killed outright. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(1);

    private static final File NULL_DEVICE = new File("/dev/null");

    private final CommandErrorCodes codes;
    private final Path outputDirectory;

    /** A runner failing with the kit's {@code codes}, keeping output files in the system's temporary directory. */
    public CommandRunner(CommandErrorCodes codes) {
        this(codes, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A runner failing with the kit's {@code codes}, keeping output files in {@code outputDirectory}. */
    public CommandRunner(CommandErrorCodes codes, Path outputDirectory) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /** The codes this runner's failures carry. */
    public CommandErrorCodes codes() {
        return codes;
    }

    /**
     * Runs an action's command (start, stop) within {@code configured} and the context's deadline:
     * exit code 0 is success.
     *
     * @param what the command for messages ("start command 'systemctl'")
     * @throws KawariException {@link CommandErrorCodes#failed()} on another exit code, {@link
     *     CommandErrorCodes#notFound()} when it cannot be started, {@link
     *     CommandErrorCodes#outputUnavailable()} when no output file can be made, a TIMEOUT when it was
     *     killed at its limit or the deadline had passed, and an interrupted one (with the interrupt
     *     flag set) if the thread is interrupted
     */
    public void runAction(String what, Command command, Duration configured, OperationContext context) {
        context.deadline().check("starting the " + what);
        CommandResult result;
        try {
            result = run(what, command, context.deadline().cap(configured), context);
        } catch (InterruptedException e) {
            throw KawariException.interrupted(what + " was interrupted and killed", e);
        }
        Optional<KawariException> failure = result.asActionFailure(what, codes);
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    /**
     * Runs {@code command} for at most {@code limit} and notes how it ended.
     *
     * @param what the command for notes ("check command 'test'")
     * @throws InterruptedException if the thread is interrupted while the command runs; the command
     *     and its descendants are killed first
     * @throws KawariException {@link CommandErrorCodes#outputUnavailable()} (retryable) if no file for
     *     the output can be made
     */
    public CommandResult run(String what, Command command, Duration limit, OperationContext context)
            throws InterruptedException {
        Path output;
        try {
            // Created readable by the agent's user only: output may say more than operators want shared.
            output = Files.createTempFile(outputDirectory, "kawari-command-", ".out");
        } catch (IOException e) {
            throw new KawariException(codes.outputUnavailable(), true,
                    "cannot create a file for the output of the " + what + " in " + outputDirectory + ": " + e, e);
        }
        try {
            return run(what, command, limit, context, output);
        } finally {
            delete(output, context);
        }
    }

    private CommandResult run(String what, Command command, Duration limit, OperationContext context, Path output)
            throws InterruptedException {
        long started = context.time().nanoTime();
        if (command.directory().isPresent() && !Files.isDirectory(command.directory().get())) {
            return noted(what, CommandResult.notStarted("working directory " + command.directory().get()
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
            return noted(what, CommandResult.notStarted(why, since(started, context), limit), command, context);
        }
        boolean exited;
        try {
            exited = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            List<ProcessHandle> survivors = ProcessTree.stop(process, KILL_GRACE);
            note(context, command, what + " was interrupted after " + since(started, context).toMillis()
                    + " ms and killed", "none", tail(output), survivors);
            throw e;
        }
        if (!exited) {
            List<ProcessHandle> survivors = ProcessTree.stop(process, KILL_GRACE);
            return noted(what, CommandResult.timedOut(since(started, context), limit, tail(output)), command, context,
                    survivors);
        }
        return noted(what, CommandResult.exited(process.exitValue(), since(started, context), limit, tail(output)),
                command, context);
    }

    private static CommandResult noted(String what, CommandResult result, Command command, OperationContext context) {
        return noted(what, result, command, context, List.of());
    }

    private static CommandResult noted(String what, CommandResult result, Command command, OperationContext context,
            List<ProcessHandle> survivors) {
        String message = switch (result.outcome()) {
            case EXITED -> what + " exited " + result.exitCode() + " in " + result.elapsed().toMillis() + " ms";
            case TIMED_OUT -> what + " timed out after " + CommandResult.text(result.limit()) + " and was killed";
            case NOT_STARTED -> what + " could not start: " + result.startFailure();
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
