package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Processes that tests start on purpose and leave running (a daemon left by a start command), by
 * the process ids their commands print as {@code pid N} lines ({@code sh -c 'sleep 30 & echo pid $!'});
 * {@link #killAll()} ends them after the test and asserts that none survives.
 *
 * <p>Whether a process runs is decided here, independently of the code under test: alive and not a
 * zombie (an orphan that has exited stays a zombie until init reaps it, which some inits do slowly).
 */
public final class LeftoverProcesses {
    private static final Pattern PID = Pattern.compile("^pid (\\d+)$", Pattern.MULTILINE);

    private final List<ProcessHandle> handles = new ArrayList<>();

    /** The processes printed as {@code pid N} lines in {@code output}, all remembered for clean-up. */
    public List<ProcessHandle> from(String output) {
        List<ProcessHandle> found = new ArrayList<>();
        Matcher matcher = PID.matcher(output);
        while (matcher.find()) {
            ProcessHandle.of(Long.parseLong(matcher.group(1))).ifPresent(found::add);
        }
        handles.addAll(found);
        return found;
    }

    /** The process ids printed as {@code pid N} lines, whether or not they still exist. */
    public static List<Long> pids(String output) {
        List<Long> pids = new ArrayList<>();
        Matcher matcher = PID.matcher(output);
        while (matcher.find()) {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        return pids;
    }

    /** Whether a process with this id runs (alive and not a zombie). */
    public static boolean running(long pid) {
        return ProcessHandle.of(pid).map(LeftoverProcesses::running).orElse(false);
    }

    /** Whether {@code handle} runs (alive and not a zombie). */
    public static boolean running(ProcessHandle handle) {
        return handle.isAlive() && !zombie(handle.pid());
    }

    private static boolean zombie(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false; // no procfs: isAlive() alone decides
        }
        int end = stat.lastIndexOf(") ");
        return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    }

    /**
     * Waits, boundedly and in real time, until a descendant of this JVM runs {@code program}: the
     * moment a test may interrupt a command knowing that it really runs.
     */
    public static void awaitDescendantRunning(String program) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.current().descendants().noneMatch(process -> runs(process, program))) {
            assertThat(System.nanoTime()).as("a descendant running %s within 5 s", program).isLessThan(until);
            Sleeper.system().sleep(Duration.ofMillis(20));
        }
    }

    private static boolean runs(ProcessHandle process, String program) {
        return process.info().command().map(command -> command.endsWith("/" + program)).orElse(false);
    }

    /** Kills every process remembered by {@link #from} and asserts that none still runs. */
    public void killAll() throws Exception {
        for (ProcessHandle handle : handles) {
            handle.destroyForcibly();
        }
        for (ProcessHandle handle : handles) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException notReapedYet) {
                // An orphan stays a zombie until init reaps it; the assertion below accepts a zombie.
            }
            assertThat(running(handle)).as("leftover process %d", handle.pid()).isFalse();
        }
        handles.clear();
    }
}
