package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on this host as argument vectors (never through a shell), bounded by a deadline and
 * stopped by an interrupt. Output is captured through temporary files, so a chatty command cannot
 * block on a full pipe, and truncated to 64 KiB.
 *
 * <p>Production uses {@link #system()}; tests give a prefix such as {@code [ip, netns, exec, NS]} so
 * that every command, {@code ip} included, runs inside a network namespace standing in for a node.
 */
public final class HostCommands {
    private static final int OUTPUT_LIMIT = 64 * 1024;

    private final List<String> prefix;

    /**
     * What one run gave.
     *
     * @param command the full argument vector, prefix included
     * @param exitCode the exit code
     * @param stdout standard output, at most 64 KiB
     * @param stderr standard error, at most 64 KiB
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public Result {
            command = List.copyOf(command);
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** {@code ip -4 addr add … exited 2: RTNETLINK answers: …}, for messages. */
        public String describe() {
            String error = stderr.strip();
            return String.join(" ", command) + " exited " + exitCode + (error.isEmpty() ? "" : ": " + error);
        }
    }

    /** Commands run as they are. */
    public static HostCommands system() {
        return new HostCommands(List.of());
    }

    /** @param prefix put before every command (a namespace's {@code [ip, netns, exec, NS]}); copied */
    public HostCommands(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** What is put before every command. */
    public List<String> prefix() {
        return prefix;
    }

    /** {@code ip} as this host runs it: the prefix followed by {@code ip}. */
    public InterfaceAddresses interfaces() {
        List<String> ip = new ArrayList<>(prefix);
        ip.add("ip");
        return new InterfaceAddresses(ip);
    }

    /**
     * Runs {@code command} (after the prefix) with no input, waiting at most until the deadline.
     *
     * @throws KawariException a timeout when the deadline passes (the process is killed), interrupted
     *     when the thread is, {@link AwsErrorCodes#LOCAL_COMMAND_FAILED} when it cannot be started
     */
    public Result run(List<String> command, Deadline deadline) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command must not be empty");
        }
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        String text = String.join(" ", full);
        deadline.check("running " + text);
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("kawari-cmd", ".out");
            err = Files.createTempFile("kawari-cmd", ".err");
            process = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw KawariException.timedOut("the deadline of " + deadline.budget() + " passed while running " + text);
            }
            return new Result(full, process.exitValue(), read(out), read(err));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw KawariException.interrupted("interrupted while running " + text, e);
        } catch (IOException e) {
            throw new KawariException(AwsErrorCodes.LOCAL_COMMAND_FAILED, false, "cannot run " + text + ": "
                    + e.getMessage(), e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = Math.min(bytes.length, OUTPUT_LIMIT);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file of a few bytes is not worth failing the action for.
            }
        }
    }

    @Override
    public String toString() {
        return "HostCommands" + prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostCommands that && that.prefix.equals(prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }
}
