package dev.kawari.kit.exec;

import static dev.kawari.kit.exec.ExecBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecMonitorTest {
    private final RecordingEventSink events = new RecordingEventSink();

    private OperationContext context(Duration deadline) {
        return OperationContexts.builder().events(events).deadline(deadline).build();
    }

    private CheckResult check(String script) throws InterruptedException {
        Monitor monitor = ExecBlocks.monitor(block("command", List.of("sh", "-c", script)));
        return monitor.check(context(Duration.ofSeconds(30)));
    }

    @Test
    void exitCodesFollowTheConvention() throws Exception {
        assertThat(check("exit 0")).isEqualTo(CheckResult.healthy());
        assertThat(check("echo down; exit 1"))
                .isEqualTo(CheckResult.unhealthy("monitor command 'sh' exited with 1: down"));
        assertThat(check("exit 3"))
                .isEqualTo(CheckResult.unknown("monitor command 'sh' exited with 3 (could not tell)"));
        assertThat(check("exit 255").status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void theMonitorsTimeoutBoundsTheCommand() throws Exception {
        Monitor monitor = ExecBlocks.monitor(block("command", List.of("sleep", "60")));

        CheckResult result = monitor.check(context(Duration.ofMillis(300)));

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).startsWith("monitor command 'sleep' timed out after");
    }

    @Test
    void environmentAndDirectoryAreApplied(@TempDir Path directory) throws Exception {
        Monitor monitor = ExecBlocks.monitor(block(
                "command", List.of("sh", "-c", "test \"$(pwd -P)\" = \"$EXPECTED\""),
                "environment", Map.of("EXPECTED", directory.toRealPath().toString()),
                "directory", directory.toString()));

        assertThat(monitor.check(context(Duration.ofSeconds(30)))).isEqualTo(CheckResult.healthy());
    }

    @Test
    void everyCheckLeavesANoteWithItsOutput() throws Exception {
        check("echo 42 connections");

        assertThat(events.lastNote().details()).containsEntry("output", "42 connections\n");
    }
}
