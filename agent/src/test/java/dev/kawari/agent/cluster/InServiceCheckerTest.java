package dev.kawari.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.JsonLinesEventLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The chaos test's checker on hand-written event logs, encoded as the agents write them
 * ({@link JsonLinesEventLog#encode}): it must find an overlap, a holder that did not honour its
 * fencing deadline, a restore without the lease and a moment without exactly one node in service,
 * and must not see one where there is none. Times are in milliseconds here (× 1,000,000 nanos).
 */
class InServiceCheckerTest {
    private static final Duration SAFETY = Duration.ofMillis(1000);
    private static final String SVC = "svc";

    /** Builds one agent's log in time order. */
    private static final class Log {
        final String node;
        final List<AgentEvent> events = new ArrayList<>();
        final List<InServiceChecker.Frozen> frozen = new ArrayList<>();

        Log(String node) {
            this.node = node;
        }

        Log event(long ms, EventKind kind, String outcome, Map<String, String> details) {
            Event event = new Event(Instant.EPOCH, ms * 1_000_000, "test", node, SVC, "", 1, kind, outcome,
                    Optional.empty(), "", details);
            events.add(AgentEvent.parse(new String(JsonLinesEventLog.encode(event), StandardCharsets.UTF_8).trim()));
            return this;
        }

        /** Takes the lease at {@code ms}, valid (fencing deadline) until {@code validUntil}; restores. */
        Log acquired(long ms, long validUntil) {
            event(ms, EventKind.LEASE, "acquired", Map.of("valid-until-nanos", String.valueOf(validUntil * 1_000_000)));
            event(ms + 1, EventKind.SERVICE_STATE, "RESTORING", Map.of());
            return event(ms + 50, EventKind.SERVICE_STATE, "IN_SERVICE", Map.of());
        }

        Log renewed(long ms, long validUntil) {
            return event(ms, EventKind.LEASE, "renewed", Map.of("valid-until-nanos", String.valueOf(validUntil * 1_000_000)));
        }

        Log removed(long ms) {
            event(ms - 20, EventKind.SERVICE_STATE, "REMOVING", Map.of());
            return event(ms, EventKind.SERVICE_STATE, "OUT_OF_SERVICE", Map.of());
        }

        Log frozen(long fromMs, long toMs) {
            frozen.add(new InServiceChecker.Frozen(fromMs * 1_000_000, toMs * 1_000_000));
            return this;
        }

        InServiceChecker.AgentLog log() {
            return new InServiceChecker.AgentLog(node + "#1", node, events, frozen);
        }
    }

    private static InServiceChecker.Report check(List<InServiceChecker.Probe> probes, Log... logs) {
        return InServiceChecker.check(java.util.Arrays.stream(logs).map(Log::log).toList(), SAFETY, probes);
    }

    private static InServiceChecker.Probe at(long ms) {
        return new InServiceChecker.Probe("at " + ms + " ms", SVC, ms * 1_000_000);
    }

    @Test
    void aCleanHandOverHasNoOverlapAndExactlyOneNodeInServiceAtEachProbe() {
        Log a = new Log("node-a").acquired(0, 2000).renewed(500, 2500).renewed(1000, 3000).removed(1400);
        Log b = new Log("node-b").acquired(1500, 3500).renewed(2000, 4000);
        InServiceChecker.Report report = check(List.of(at(1000), at(2000)), a, b);
        assertThat(report.problems()).isEmpty();
        assertThat(report.intervals()).hasSize(2);
        assertThat(report.intervals().get(0).end()).isEqualTo(1400L * 1_000_000);
    }

    @Test
    void aStandbyInServiceBeforeTheHolderRemovedItIsAnOverlap() {
        Log a = new Log("node-a").acquired(0, 2000).renewed(1000, 3000).removed(2500);
        Log b = new Log("node-b").acquired(2400, 4400);
        InServiceChecker.Report report = check(List.of(), a, b);
        assertThat(report.overlaps()).singleElement().asString()
                .contains("node-a#1 and node-b#1 were in service at once for 100.0 ms");
        assertThat(report.clean()).isFalse();
    }

    @Test
    void aKilledHolderCountsAsInServiceUntilItsDeadlinePlusTheSafetyMargin() {
        // node-a's log stops at 1000 (kill -9): in service until 3000 + 1000 safety margin.
        Log a = new Log("node-a").acquired(0, 2000).renewed(1000, 3000);
        Log tooEarly = new Log("node-b").acquired(3900, 5900);
        assertThat(check(List.of(), a, tooEarly).overlaps()).singleElement().asString().contains("for 100.0 ms");
        Log b = new Log("node-b").acquired(4100, 6100);
        assertThat(check(List.of(at(2000), at(5000)), a, b).problems()).isEmpty();
    }

    @Test
    void aPausedHolderIsInServiceOnlyUntilItsDeadlinePlusTheSafetyMarginAndMustRemoveOnceResumed() {
        // Frozen from 1100 to 6000; the standby took over at 4500; node-a removed at 6300 once resumed.
        Log a = new Log("node-a").acquired(0, 2000).renewed(1000, 3000).frozen(1100, 6000).removed(6300);
        Log b = new Log("node-b").acquired(4500, 6500);
        assertThat(check(List.of(at(5000)), a, b).problems()).isEmpty();
        // Resumed at 6000 but still removing past 6000 + safety margin: the deadline was not honoured.
        Log slow = new Log("node-a").acquired(0, 2000).renewed(1000, 3000).frozen(1100, 6000).removed(7200);
        assertThat(check(List.of(), slow, b).deadlineViolations()).singleElement().asString()
                .contains("finished removing svc 200.0 ms after its deadline");
        // Without the pause, a removal at 6300 is 2300 ms late.
        Log notPaused = new Log("node-a").acquired(0, 2000).renewed(1000, 3000).removed(6300);
        assertThat(check(List.of(), notPaused, b).deadlineViolations()).singleElement().asString()
                .contains("2300.0 ms after");
    }

    @Test
    void aHolderThatGoesOnRunningPastItsDeadlineWithoutRemovingBreaksIt() {
        Log a = new Log("node-a").acquired(0, 2000).event(5000, EventKind.LEASE, "unreachable", Map.of());
        assertThat(check(List.of(), a).deadlineViolations()).singleElement().asString()
                .contains("went on running 2000.0 ms past its deadline");
    }

    @Test
    void aRestoreWithoutTheLeaseIsAViolation() {
        Log a = new Log("node-a").acquired(0, 2000).removed(500).event(800, EventKind.SERVICE_STATE, "RESTORING", Map.of());
        assertThat(check(List.of(), a).unleased()).singleElement().asString().contains("RESTORING");
    }

    @Test
    void aProbeWithNoNodeOrTwoNodesInServiceFails() {
        Log a = new Log("node-a").acquired(0, 2000).removed(500);
        // the holder renews but its service was removed: nobody in service at 1000
        Log b = new Log("node-b").acquired(1000, 3000).removed(1500).renewed(2000, 4000);
        InServiceChecker.Report report = check(List.of(at(100), at(1200), at(2500)), a, b);
        assertThat(report.probeFailures()).hasSize(1).allMatch(text -> text.startsWith("at 2500 ms")
                && text.contains("on 0 nodes"));
        Log c = new Log("node-c").acquired(5000, 9000);
        Log d = new Log("node-d").acquired(5000, 9000);
        assertThat(check(List.of(at(6000)), c, d).probeFailures()).singleElement().asString().contains("on 2 nodes");
    }

    @Test
    void aRestartedAgentOfTheSameNodeIsNotASecondNode() {
        // node-a killed at 1000 (bound 4000) and restarted: it takes its own lease back at 2500.
        Log first = new Log("node-a").acquired(0, 2000).renewed(1000, 3000);
        Log again = new Log("node-a").acquired(2500, 4500);
        InServiceChecker.AgentLog restarted = new InServiceChecker.AgentLog("node-a#2", "node-a", again.events, List.of());
        assertThat(InServiceChecker.check(List.of(first.log(), restarted), SAFETY, List.of(at(3000))).problems())
                .isEmpty();
    }

    @Test
    void leaseEventsMustCarryTheFencingDeadline() {
        Log a = new Log("node-a").event(0, EventKind.LEASE, "acquired", Map.of());
        assertThatThrownBy(() -> check(List.of(), a)).hasMessageContaining("without valid-until-nanos");
    }
}
