package dev.kawari.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KitBlockTest {
    private final List<String> problems = new ArrayList<>();

    private KitBlock block(String hocon) {
        return new KitBlock(ConfigFactory.parseString(hocon), (key, message) -> problems.add(key + ": " + message));
    }

    @Test
    void numbersAndBooleansInAnArgumentVectorKeepTheirText() {
        assertThat(block("start = [sleep, 1.50, true]").argumentVector("start", true, List.of("x")))
                .contains(List.of("sleep", "1.50", "true"));
        assertThat(problems).isEmpty();
    }

    @Test
    void aCommandLineStringIsRefusedWithTheVectorItMeant() {
        KitBlock block = block("start = \"systemctl start slapd\"");

        assertThat(block.argumentVector("start", true, List.of("x"))).isEmpty();
        assertThat(block.reportedProblems()).isTrue();
        assertThat(problems).singleElement().asString()
                .startsWith("start: ").contains("without a shell").contains("[\"systemctl\", \"start\", \"slapd\"]");
    }

    @Test
    void anAbsentOptionalArgumentVectorIsNoProblemButARequiredOneIs() {
        KitBlock block = block("check = null");

        assertThat(block.argumentVector("check", false, List.of("x"))).isEmpty();
        assertThat(block.reportedProblems()).isFalse();
        assertThat(block.argumentVector("start", true, List.of("true"))).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("start: 'start' is required");
    }

    @Test
    void environmentNumbersKeepTheirTextAndNamesMustNotHoldAnEqualsSign() {
        assertThat(block("environment { PORT = 389, RATIO = 0.50, ON = true }").environment("environment"))
                .contains(Map.of("PORT", "389", "RATIO", "0.50", "ON", "true"));
        assertThat(block("environment { \"A=B\" = x }").environment("environment")).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("environment.\"A=B\": ");
    }

    @Test
    void durationsNeedAUnitAndMustBePositive() {
        assertThat(block("t = 1500ms").positiveDuration("t")).contains(Duration.ofMillis(1500));
        assertThat(block("t = 60").positiveDuration("t", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(block("t = 0s").positiveDuration("t")).isEmpty();
        assertThat(block("t = soon").positiveDuration("t")).isEmpty();
        assertThat(block("").positiveDuration("t", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("has no unit");
        assertThat(problems.get(1)).contains("must be greater than 0");
        assertThat(problems.get(2)).contains("is not a duration");
    }

    @Test
    void pathsMustBeAbsolute() {
        assertThat(block("directory = \"/srv/app\"").absolutePath("directory", "a directory")).contains(Path.of("/srv/app"));
        assertThat(block("directory = srv").absolutePath("directory", "a directory")).isEmpty();
        assertThat(problems).singleElement().asString().contains("must be an absolute path");
    }

    @Test
    void stringsAndBooleansReportWrongKinds() {
        KitBlock block = block("name = [a], flag = yes-please, empty = \"  \"");

        assertThat(block.optionalString("name")).isEmpty();
        assertThat(block.bool("flag", true)).isTrue();
        assertThat(block.optionalString("empty")).isEmpty();
        assertThat(block.requiredString("missing", "the thing")).isEmpty();
        assertThat(problems).containsExactly(
                "name: expected a string for 'name', got a list",
                "flag: expected true or false for 'flag', got a string 'yes-please'",
                "empty: 'empty' must not be empty",
                "missing: missing required key 'missing': the thing");
    }
}
