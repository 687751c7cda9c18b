package dev.kawari.kit.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecBlockTest {
    private final TestKitContext context = new TestKitContext();

    private ExecBlock block(String hocon) {
        return new ExecBlock(ConfigFactory.parseString(hocon), context);
    }

    @Test
    void numbersAndBooleansInAnArgumentVectorKeepTheirText() {
        assertThat(block("start = [sleep, 1.50, true]").argumentVector("start", true, List.of("x")))
                .contains(List.of("sleep", "1.50", "true"));
        assertThat(context.hasProblems()).isFalse();
    }

    @Test
    void anAbsentOptionalArgumentVectorIsNoProblem() {
        ExecBlock block = block("check = null");

        assertThat(block.argumentVector("check", false, List.of("x"))).isEmpty();
        assertThat(block.reportedProblems()).isFalse();
    }

    @Test
    void environmentNumbersKeepTheirText() {
        assertThat(block("environment { PORT = 389, RATIO = 0.50, ON = true }").environment("environment"))
                .contains(Map.of("PORT", "389", "RATIO", "0.50", "ON", "true"));
    }

    @Test
    void environmentNamesMustNotHoldAnEqualsSign() {
        ExecBlock block = block("environment { \"A=B\" = x }");

        assertThat(block.environment("environment")).isEmpty();
        assertThat(context.problemKeys()).containsExactly("environment.\"A=B\"");
    }

    @Test
    void aDurationIsRead() {
        assertThat(block("timeouts.start = 1500ms").positiveDuration("timeouts.start"))
                .contains(Duration.ofMillis(1500));
    }

    @Test
    void aDirectoryIsRead() {
        assertThat(block("directory = \"/srv/app\"").directory("directory")).contains(Path.of("/srv/app"));
    }
}
