package dev.kawari.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    private Process process;

    @AfterEach
    void killTheProcess() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLiveProcessIsRunningAndAnEndedOneIsNot() throws Exception {
        process = new ProcessBuilder("sleep", "60").start();

        assertThat(ProcessTree.isRunning(process.toHandle())).isTrue();

        process.destroy();
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessTree.isRunning(process.toHandle())).isFalse();
    }

    @Test
    void stopEndsTheProcessAndEveryDescendant() throws Exception {
        process = new ProcessBuilder("sh", "-c", "sleep 60 & sh -c 'sleep 60 & sleep 60' & sleep 60")
                .redirectOutput(new File("/dev/null")).start();
        awaitDescendants(process, 5);
        var family = process.descendants().toList();

        assertThat(ProcessTree.stop(process, Duration.ofSeconds(1))).isEmpty();

        assertThat(family).noneMatch(ProcessTree::isRunning);
        assertThat(ProcessTree.isRunning(process.toHandle())).isFalse();
    }

    @Test
    void stopKillsWhatIgnoresTheRequestToTerminate() throws Exception {
        process = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done").start();
        assertThat(new String(process.getInputStream().readNBytes(6))).isEqualTo("ready\n"); // the trap is set

        long started = System.nanoTime();
        assertThat(ProcessTree.stop(process, Duration.ofMillis(300))).isEmpty();

        assertThat(ProcessTree.isRunning(process.toHandle())).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    /** Real time, bounded: the shell needs a moment to start its children. */
    private static void awaitDescendants(Process process, int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (process.descendants().count() < count) {
            assertThat(System.nanoTime()).as("%d descendants within 5 s", count).isLessThan(until);
            process.waitFor(20, TimeUnit.MILLISECONDS); // returns early only if the shell ends
        }
    }
}
