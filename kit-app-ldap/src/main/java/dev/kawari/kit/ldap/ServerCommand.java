package dev.kawari.kit.ldap;

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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A start or stop command of a server: an argument vector run without a shell, with standard input
 * from {@code /dev/null} and standard output and error in a temporary file. A file rather than a pipe,
 * because a start command leaves a daemon behind that inherits the descriptors; with a pipe, reading
 * to its end would wait for the daemon to exit. The last {@link #OUTPUT_TAIL_BYTES} bytes of the
 * output go into a note on the context's event sink.
 *
 * <p>Exit code 0 is success. A command past its limit, or whose thread is interrupted, is asked to
 * terminate together with every process it started, and killed {@link #KILL_GRACE} later.
 *
 * @param argv the program and its arguments; copied, never empty
 */
record ServerCommand(List<String> argv) {
    static final int OUTPUT_TAIL_BYTES = 4 * 1024;
    static final Duration KILL_GRACE = Duration.ofSeconds(1);
    private static final int MESSAGE_LINES = 3;
    private static final File NULL_DEVICE = new File("/dev/null");

    ServerCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("an argument vector names at least the program");
        }
    }

    String program() {
        return argv.get(0);
    }

    /**
     * Runs the command for at most {@code limit}.
     *
     * @param role {@code start} or {@code stop}, for messages
     * @throws KawariException {@link LdapKit#LDAP_SERVER_COMMAND_FAILED} on a non-zero exit, {@link
     *     LdapKit#LDAP_SERVER_COMMAND_NOT_FOUND} when it cannot be started, a TIMEOUT when killed at its
     *     limit, and {@link KawariException#interrupted} (flag set) when the thread is interrupted
     */
    void run(String role, Duration limit, OperationContext context) {
        String what = role + " command '" + program() + "'";
        if (limit.isNegative() || limit.isZero()) {
            throw KawariException.timedOut(what + " was not run: no time was left before the deadline");
        }
        Path output;
        try {
            output = Files.createTempFile("kawari-ldap-", ".out");
        } catch (IOException e) {
            throw new KawariException(LdapKit.LDAP_SERVER_COMMAND_OUTPUT_UNAVAILABLE, true,
                    "cannot create a file for the output of the " + what + ": " + e, e);
        }
        try {
            runWithOutput(what, limit, context, output);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                context.events().note("could not delete the output file of the " + what + ": " + e,
                        Map.of("path", output.toString()));
            }
        }
    }

    private void runWithOutput(String what, Duration limit, OperationContext context, Path output) {
        long started = context.time().nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()))
                    .start();
        } catch (IOException e) {
            note(context, what + " could not be started: " + e.getMessage(), "none", "");
            throw KawariException.permanent(LdapKit.LDAP_SERVER_COMMAND_NOT_FOUND,
                    what + " could not be started: " + e.getMessage());
        }
        boolean exited;
        try {
            exited = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            stopTree(process);
            note(context, what + " was interrupted and killed", "none", tail(output));
            throw KawariException.interrupted(what + " was interrupted and killed", e);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(context.time().nanoTime() - started);
        String text = tail(output);
        if (!exited) {
            stopTree(process);
            note(context, what + " did not finish within " + limit.toMillis() + " ms and was killed", "none", text);
            throw KawariException.timedOut(what + " did not finish within " + limit.toMillis() + " ms and was killed"
                    + lastLines(text));
        }
        int exitCode = process.exitValue();
        note(context, what + " exited " + exitCode + " in " + tookMillis + " ms", Integer.toString(exitCode), text);
        if (exitCode != 0) {
            throw KawariException.permanent(LdapKit.LDAP_SERVER_COMMAND_FAILED,
                    what + " exited with " + exitCode + lastLines(text));
        }
    }

    private void note(OperationContext context, String message, String exitCode, String output) {
        context.events().note(message, Map.of("command", String.join(" ", argv), "exit-code", exitCode,
                "output", output));
    }

    /** Asks the command and its descendants to terminate, then kills what is left after the grace. */
    private static void stopTree(Process process) {
        Set<ProcessHandle> family = new LinkedHashSet<>();
        family.add(process.toHandle());
        process.toHandle().descendants().forEach(family::add);
        family.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        try {
            CompletableFuture.allOf(family.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true; // no time to be polite: kill below, then hand the interrupt on
        } catch (TimeoutException | ExecutionException e) {
            // some are still running: killed below
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle handle : family) {
            if (handle.isAlive()) {
                left.add(handle);
                handle.descendants().forEach(left::add);
            }
        }
        left.forEach(ProcessHandle::destroyForcibly);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@link #OUTPUT_TAIL_BYTES} bytes of the output, from the first whole line among them. */
    private static String tail(Path output) {
        try (SeekableByteChannel channel = Files.newByteChannel(output)) {
            long size = channel.size();
            long from = Math.max(0, size - OUTPUT_TAIL_BYTES);
            channel.position(from);
            ByteBuffer bytes = ByteBuffer.allocate((int) (size - from));
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // read until full or at the end
            }
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
            int firstBreak = text.indexOf('\n');
            return from > 0 && firstBreak >= 0 ? text.substring(firstBreak + 1) : text;
        } catch (IOException e) {
            return "(output unavailable: " + e + ")";
        }
    }

    private static String lastLines(String output) {
        List<String> lines = new ArrayList<>();
        String[] all = output.split("\\R");
        for (int i = all.length - 1; i >= 0 && lines.size() < MESSAGE_LINES; i--) {
            String line = all[i].strip();
            if (!line.isEmpty()) {
                lines.add(0, line.length() <= 200 ? line : line.substring(0, 200) + "…");
            }
        }
        return lines.isEmpty() ? " (no output)" : "; last output: " + String.join(" | ", lines);
    }

    @Override
    public String toString() {
        return "ServerCommand" + argv;
    }
}
