package dev.kawari.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {

    @Test
    void swappedLettersAreOneEditAway() {
        assertThat(ClosestName.closest("strat", List.of("stop", "start", "check"))).contains("start");
    }

    @Test
    void theClosestOfSeveralCandidatesWins() {
        assertThat(ClosestName.closest("interva", List.of("internal", "interval"))).contains("interval");
    }

    @Test
    void tiesGoToTheFirstInSortOrder() {
        assertThat(ClosestName.closest("stat", List.of("state", "start"))).contains("start");
    }

    @Test
    void caseIsIgnored() {
        assertThat(ClosestName.closest("Start", List.of("start"))).contains("start");
    }

    @Test
    void unrelatedNamesGetNoSuggestion() {
        assertThat(ClosestName.closest("queue", List.of("data", "web"))).isEmpty();
        assertThat(ClosestName.closest("anything", List.of())).isEmpty();
    }

    @Test
    void veryShortNamesDoNotMatchEverything() {
        assertThat(ClosestName.closest("ab", List.of("xy"))).isEmpty();
        assertThat(ClosestName.closest("x", List.of("id"))).isEmpty();
        assertThat(ClosestName.closest("stp", List.of("start"))).isEmpty();
    }

    @Test
    void longNamesMayBeAThirdOfTheirLengthAway() {
        assertThat(ClosestName.closest("rcovry-windw", List.of("recovery-window", "interval"))).contains("recovery-window");
        assertThat(ClosestName.closest("rcvry-wndw", List.of("recovery-window"))).isEmpty();
    }

    @Test
    void didYouMeanIsReadyToAppendToAMessage() {
        assertThat("no node 'nde-a'" + ClosestName.didYouMean("nde-a", List.of("node-a", "node-b")))
                .isEqualTo("no node 'nde-a' (did you mean 'node-a'?)");
        assertThat(ClosestName.didYouMean("zzz", List.of("node-a"))).isEmpty();
    }
}
