package dev.kawari.kit.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import org.junit.jupiter.api.Test;

class ExecMonitorTypeTest {
    private final TestKitContext context = new TestKitContext();

    private Monitor create(String hocon) {
        return new ExecMonitorType().create(KitConfigs.monitor("exec", hocon), context);
    }

    @Test
    void aValidBlockHasNoProblems() {
        Monitor monitor = create("command = [curl, -fsS, \"http://127.0.0.1/\"], environment { LANG = C }");

        assertThat(context.problems()).isEmpty();
        assertThat(monitor).isInstanceOf(ExecMonitor.class);
    }

    @Test
    void commandIsRequired() {
        assertThat(create("")).isNull();

        assertThat(context.problemKeys()).containsExactly("command");
        assertThat(context.problems().get(0).message()).contains("required: an argument vector such as");
    }

    @Test
    void aCommandGivenAsAStringIsRejected() {
        create("command = \"curl -fsS http://127.0.0.1/\"");

        assertThat(context.problemKeys()).containsExactly("command");
        assertThat(context.problems().get(0).message()).contains("Kawari runs commands without a shell");
    }

    @Test
    void environmentAndDirectoryAreValidated() {
        create("command = [\"true\"], environment { A { B = c } }, directory = { x = 1 }");

        assertThat(context.problemKeys()).containsExactly("environment.A", "directory");
    }
}
