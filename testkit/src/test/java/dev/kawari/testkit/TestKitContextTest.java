package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class TestKitContextTest {

    @Test
    void recordsProblemsInOrder() {
        TestKitContext context = new TestKitContext();

        context.problem("start", "'start' is required");
        context.problem("timeouts.stop", "'timeouts.stop' must be positive");

        assertThat(context.hasProblems()).isTrue();
        assertThat(context.problemKeys()).containsExactly("start", "timeouts.stop");
        assertThat(context.problemsOn("start")).extracting(TestKitContext.Problem::message)
                .containsExactly("'start' is required");
    }

    @Test
    void aProblemWithoutAKeyIsAboutTheBlock() {
        TestKitContext context = new TestKitContext();

        context.problem(null, "the block is wrong");
        context.problem(" ", "still wrong");

        assertThat(context.problemKeys()).containsExactly("", "");
    }

    @Test
    void startsWithoutProblemsAndWithTwoNodes() {
        TestKitContext context = new TestKitContext();

        assertThat(context.hasProblems()).isFalse();
        assertThat(context.cluster()).isEqualTo("test-cluster");
        assertThat(context.nodes()).containsOnlyKeys("node-a", "node-b");
    }

    @Test
    void sectionsAreEmptyUnlessGiven() {
        TestKitContext context = new TestKitContext()
                .withSection("aws", ConfigFactory.parseString("region = eu-west-1"));

        assertThat(context.section("aws").getString("region")).isEqualTo("eu-west-1");
        assertThat(context.section("other").isEmpty()).isTrue();
    }
}
