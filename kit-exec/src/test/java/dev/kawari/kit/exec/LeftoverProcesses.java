package dev.kawari.kit.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Processes that tests start on purpose and leave running (a daemon left by a start command), by
 * the process ids their commands print; {@link #killAll()} ends them after the test.
 */
final class LeftoverProcesses {
    private static final Pattern PID = Pattern.compile("^pid (\\d+)$", Pattern.MULTILINE);

    private final List<ProcessHandle> handles = new ArrayList<>();

    /** The process ids printed as {@code pid N} lines in {@code output}, all remembered for clean-up. */
    List<ProcessHandle> from(String output) {
        List<ProcessHandle> found = new ArrayList<>();
        Matcher matcher = PID.matcher(output);
        while (matcher.find()) {
            ProcessHandle.of(Long.parseLong(matcher.group(1))).ifPresent(found::add);
        }
        handles.addAll(found);
        return found;
    }

    /** The process ids printed as {@code pid N} lines, whether or not they still exist. */
    static List<Long> pids(String output) {
        List<Long> pids = new ArrayList<>();
        Matcher matcher = PID.matcher(output);
        while (matcher.find()) {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        return pids;
    }

    /** Whether a process with this id runs (alive and not a zombie). */
    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    /**
     * Waits, boundedly and in real time, until a descendant of this JVM runs {@code program}: the
     * moment a test may interrupt a command knowing that it really runs.
     */
    static void awaitDescendantRunning(String program) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.current().descendants().noneMatch(process -> runs(process, program))) {
            assertThat(System.nanoTime()).as("a descendant running %s within 5 s", program).isLessThan(until);
            Sleeper.system().sleep(Duration.ofMillis(20));
        }
    }

    private static boolean runs(ProcessHandle process, String program) {
        return process.info().command().map(command -> command.endsWith("/" + program)).orElse(false);
    }

    void killAll() throws Exception {
        for (ProcessHandle handle : handles) {
            handle.destroyForcibly();
        }
        for (ProcessHandle handle : handles) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException notReapedYet) {
                // An orphan stays a zombie until init reaps it, which some inits do slowly; the
                // assertion below accepts a zombie, which no longer runs.
            }
            assertThat(ProcessTree.isRunning(handle)).as("leftover process %d", handle.pid()).isFalse();
        }
        handles.clear();
    }
}
