package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands on this host: argument vectors, output, exit codes, deadlines, and the prefix of a namespace. */
class HostCommandsTest {
    private static Deadline deadline(Duration budget) {
        return Deadline.after(budget, TimeSource.system());
    }

    @Test
    void outputAndExitCodeAreCapturedWithoutAShell() {
        HostCommands.Result result = HostCommands.system().run(List.of("sh", "-c", "echo out; echo err >&2; exit 4"),
                deadline(Duration.ofSeconds(10)));

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.describe()).isEqualTo("sh -c echo out; echo err >&2; exit 4 exited 4: err");
        assertThat(HostCommands.system().run(List.of("echo", "$HOME", ";", "true"), deadline(Duration.ofSeconds(10)))
                .stdout()).isEqualTo("$HOME ; true\n");
    }

    @Test
    void thePrefixComesFirst() {
        HostCommands host = new HostCommands(List.of("env", "KAWARI_TEST=inside"));

        HostCommands.Result result = host.run(List.of("sh", "-c", "echo $KAWARI_TEST"), deadline(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("inside\n");
        assertThat(host.interfaces().command()).containsExactly("env", "KAWARI_TEST=inside", "ip");
    }

    @Test
    void aCommandPastTheDeadlineIsKilledAndTimesOut() {
        long start = System.nanoTime();

        KawariException failure = catchThrowableOfType(KawariException.class, () -> HostCommands.system()
                .run(List.of("sleep", "30"), deadline(Duration.ofMillis(300))));

        assertThat(failure.type()).isEqualTo(ErrorType.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsAnError() {
        KawariException failure = catchThrowableOfType(KawariException.class, () -> HostCommands.system()
                .run(List.of("/nonexistent/kawari-program"), deadline(Duration.ofSeconds(10))));

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.LOCAL_COMMAND_FAILED);
        assertThat(failure.getMessage()).contains("/nonexistent/kawari-program");
    }
}
