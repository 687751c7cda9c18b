package dev.kawari.kit.exec;

import static dev.kawari.kit.exec.ExecBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Action;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecResourceTypeTest {
    private static final String VALID = "start = [\"true\"], stop = [\"true\"]";

    private final TestKitContext context = new TestKitContext();

    private Resource create(String hocon) {
        return new ExecResourceType().create(KitConfigs.resource("exec", hocon), context);
    }

    @Test
    void aValidBlockHasNoProblems() {
        Resource resource = create(VALID + ", check = [test, -e, /etc/hostname], environment { LANG = C },"
                + " directory = \"/\"");

        assertThat(context.problems()).isEmpty();
        assertThat(resource).isInstanceOf(ExecResource.class);
    }

    @Test
    void startAndStopAreRequired() {
        Resource resource = create("");

        assertThat(resource).isNull();
        assertThat(context.problemKeys()).containsExactly("start", "stop");
        assertThat(context.problemsOn("start").get(0).message())
                .isEqualTo("'start' is required: an argument vector such as [\"systemctl\", \"start\", \"slapd\"]");
    }

    @Test
    void aCommandGivenAsAStringIsRejectedBecauseThereIsNoShell() {
        create("start = \"systemctl start slapd\", stop = [\"true\"]");

        assertThat(context.problemKeys()).containsExactly("start");
        assertThat(context.problems().get(0).message())
                .contains("must be an argument vector (a list), not a string: Kawari runs commands without a shell")
                .contains("[\"systemctl\", \"start\", \"slapd\"]");
    }

    @Test
    void anEmptyArgumentVectorIsRejected() {
        create("start = [], stop = [\"true\"]");

        assertThat(context.problemKeys()).containsExactly("start");
        assertThat(context.problems().get(0).message()).contains("must not be empty");
    }

    @Test
    void anArgumentVectorHoldsOnlyStrings() {
        create("start = [\"true\"], stop = [kill, [1, 2]], check = [test, { e = x }]");

        assertThat(context.problemKeys()).containsExactly("stop", "check");
        assertThat(context.problemsOn("stop").get(0).message()).contains("element 1 is a list");
        assertThat(context.problemsOn("check").get(0).message()).contains("element 1 is an object");
    }

    @Test
    void anArgumentVectorMustNotBeAnObjectOrNumber() {
        create("start { program = x }, stop = 5");

        assertThat(context.problemKeys()).containsExactly("start", "stop");
    }

    @Test
    void theProgramMustNotBeBlank() {
        create("start = [\" \", x], stop = [\"true\"]");

        assertThat(context.problemKeys()).containsExactly("start");
    }

    @Test
    void timeoutsMustBePositiveDurationsWithAUnit() {
        create(VALID + ", timeouts { start = 0s, stop = -1s, check = 60 }");

        assertThat(context.problemKeys()).containsExactly("timeouts.start", "timeouts.stop", "timeouts.check");
        assertThat(context.problemsOn("timeouts.check").get(0).message()).contains("no unit");
    }

    @Test
    void aMalformedTimeoutIsAProblemOnItsKey() {
        create(VALID + ", timeouts { start = soon, stop = [1s], check = true }");

        assertThat(context.problemKeys()).containsExactly("timeouts.start", "timeouts.stop", "timeouts.check");
    }

    @Test
    void timeoutsMustBeAnObject() {
        create(VALID + ", timeouts = 5s");

        assertThat(context.problemKeys()).containsExactly("timeouts");
    }

    @Test
    void environmentValuesMustBeStrings() {
        create(VALID + ", environment { GOOD = x, PORT = 389, LIST = [a], NESTED.NAME = y }");

        assertThat(context.problemKeys()).containsExactly("environment.LIST", "environment.NESTED");
    }

    @Test
    void environmentMustBeAnObject() {
        create(VALID + ", environment = [\"A=b\"]");

        assertThat(context.problemKeys()).containsExactly("environment");
    }

    @Test
    void directoryMustBeAnAbsolutePathString() {
        create(VALID + ", directory = [\"/srv\"]");
        create(VALID + ", directory = relative/dir");

        assertThat(context.problemKeys()).containsExactly("directory", "directory");
        assertThat(context.problems().get(1).message()).contains("absolute");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        create("stop = \"true\", timeouts.check = 0s, environment { A = [b] }, directory = 1");

        assertThat(context.problemKeys())
                .containsExactlyInAnyOrder("start", "stop", "timeouts.check", "environment.A", "directory");
    }

    @Test
    void createRunsNothing(@TempDir Path directory) {
        Path marker = directory.resolve("marker");

        new ExecResourceType().create(KitConfigs.resource("exec", block(
                "start", List.of("touch", marker.toString()),
                "stop", List.of("touch", marker.toString()),
                "check", List.of("touch", marker.toString()))), context);

        assertThat(context.problems()).isEmpty();
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void actionTimeoutsComeFromTheConfigurationWithAMarginForTheKill() {
        Resource resource = create(VALID + ", timeouts { start = 30s, stop = 20s }");

        assertThat(resource.timeout(Action.RESTORE)).isEqualTo(Duration.ofSeconds(32));
        assertThat(resource.timeout(Action.REMOVE)).isEqualTo(Duration.ofSeconds(22));
        assertThat(resource.timeout(Action.CHECK)).isEqualTo(Duration.ofSeconds(12)); // the default 10s
        assertThat(resource.timeout(Action.RECOVER)).isEqualTo(Duration.ofSeconds(52));
    }
}
