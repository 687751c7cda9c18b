package dev.kawari.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyCyclesTest {

    private static Map<String, List<String>> graph(Object... idsAndDependencies) {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        for (int i = 0; i < idsAndDependencies.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> dependencies = (List<String>) idsAndDependencies[i + 1];
            graph.put((String) idsAndDependencies[i], dependencies);
        }
        return graph;
    }

    @Test
    void aTreeHasNoCycle() {
        assertThat(DependencyCycles.in(graph(
                "app", List.of("vip", "disk"), "vip", List.of(), "disk", List.of("volume"), "volume", List.of())))
                .isEmpty();
    }

    @Test
    void sharedDependencyIsNotACycle() {
        assertThat(DependencyCycles.in(graph(
                "a", List.of("b", "c"), "b", List.of("d"), "c", List.of("d"), "d", List.of()))).isEmpty();
    }

    @Test
    void cycleStartsAtTheResourceWrittenFirst() {
        assertThat(DependencyCycles.in(graph(
                "x", List.of("y"), "y", List.of("z"), "z", List.of("y"))))
                .containsExactly(List.of("y", "z"));
        assertThat(DependencyCycles.in(graph(
                "c", List.of(), "b", List.of("a"), "a", List.of("b"))))
                .containsExactly(List.of("b", "a"));
    }

    @Test
    void everyCycleThroughOneResourceIsReported() {
        assertThat(DependencyCycles.in(graph(
                "a", List.of("b", "c"), "b", List.of("a"), "c", List.of("a"))))
                .containsExactly(List.of("a", "b"), List.of("a", "c"));
    }

    @Test
    void selfDependencyIsACycleOfOne() {
        assertThat(DependencyCycles.in(graph("a", List.of("a")))).containsExactly(List.of("a"));
    }

    @Test
    void unknownIdsAreLeftToOtherChecks() {
        assertThat(DependencyCycles.in(graph("a", List.of("missing")))).isEmpty();
    }
}
