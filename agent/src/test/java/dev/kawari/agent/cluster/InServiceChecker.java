package dev.kawari.agent.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves from the agents' event logs that no two nodes were ever in service for the same service at
 * overlapping times, and that at given moments exactly one was. (Two processes of one node, an agent
 * killed and restarted, are one node: the dead one's interval may run on to its bound.)
 *
 * <p>Per agent process (one event log each) and service, an <em>in-service interval</em> starts at
 * the {@code LEASE acquired} event (the restore can only start after it) and ends at the first
 * {@code SERVICE_STATE OUT_OF_SERVICE} after it (the removal finished), but never later than the
 * holder's fencing deadline plus the safety margin: {@code d + safety-margin}, where {@code d} is the
 * latest {@code valid-until-nanos} of its {@code acquired} and {@code renewed} events (the start of its
 * last successful renewal plus {@code lease-duration - safety-margin}). So a killed holder, whose log
 * just stops, counts as in service up to that bound; a paused or cut-off holder too.
 *
 * <p>The bound is only sound if the engine honours it, which is checked too: a holder that kept
 * running must have finished its removal by {@code d + safety-margin} (plus the time it spent frozen
 * by SIGSTOP after {@code d}: a stopped process cannot act, and a paused machine does not serve);
 * a holder whose log goes on past that bound without a removal breaks it. A restore or
 * {@code IN_SERVICE} outside any interval (without the lease) is a violation as well.
 *
 * <p>Nanosecond stamps are {@code System.nanoTime()} of each agent, comparable across processes of
 * one Linux machine.
 */
public final class InServiceChecker {

    /** A window during which an agent process was frozen (SIGSTOP to SIGCONT), in nanoTime. */
    public record Frozen(long fromNanos, long toNanos) {
    }

    /** The event log of one agent process (a restarted agent is another process, with its own log). */
    public record AgentLog(String name, String node, List<AgentEvent> events, List<Frozen> frozen) {
        public AgentLog {
            events = events.stream().sorted(Comparator.comparingLong(AgentEvent::nanos)).toList();
            frozen = List.copyOf(frozen);
        }
    }

    /** A moment at which exactly one node must be in service for {@code service}. */
    public record Probe(String label, String service, long nanos) {
    }

    /**
     * One process's time in service.
     *
     * @param servingFrom when it reached IN_SERVICE, or -1
     * @param removedAt when its removal finished, or -1 (killed, or still removing)
     * @param deadline the latest fencing deadline it published ({@code valid-until-nanos})
     * @param end the end used for overlaps: {@code min(removedAt, deadline + safety-margin)}
     */
    public record Interval(String log, String node, String service, long epoch, long start, long servingFrom,
            long removedAt, long deadline, long end) {
        @Override
        public String toString() {
            return log + " " + service + " epoch " + epoch + " [" + start + ", " + end + ")"
                    + (servingFrom < 0 ? " never IN_SERVICE" : " IN_SERVICE at " + servingFrom)
                    + (removedAt < 0 ? ", no removal logged" : ", removed at " + removedAt)
                    + ", deadline " + deadline;
        }
    }

    /** What the logs prove. */
    public record Report(List<Interval> intervals, List<String> overlaps, List<String> deadlineViolations,
            List<String> unleased, List<String> probeFailures) {
        public boolean clean() {
            return overlaps.isEmpty() && deadlineViolations.isEmpty() && unleased.isEmpty() && probeFailures.isEmpty();
        }

        public List<String> problems() {
            List<String> all = new ArrayList<>();
            overlaps.forEach(text -> all.add("OVERLAP: " + text));
            deadlineViolations.forEach(text -> all.add("DEADLINE NOT HONOURED: " + text));
            unleased.forEach(text -> all.add("WITHOUT THE LEASE: " + text));
            probeFailures.forEach(text -> all.add("NOT EXACTLY ONE: " + text));
            return all;
        }
    }

    private InServiceChecker() {
    }

    public static Report check(List<AgentLog> logs, Duration safetyMargin, List<Probe> probes) {
        long safety = safetyMargin.toNanos();
        List<Interval> intervals = new ArrayList<>();
        List<String> deadlineViolations = new ArrayList<>();
        List<String> unleased = new ArrayList<>();
        for (AgentLog log : logs) {
            intervals(log, safety, intervals, deadlineViolations, unleased);
        }
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) {
            for (int j = i + 1; j < intervals.size(); j++) {
                Interval a = intervals.get(i);
                Interval b = intervals.get(j);
                if (a.service().equals(b.service()) && !a.node().equals(b.node())
                        && a.start() < b.end() && b.start() < a.end()) {
                    long overlap = Math.min(a.end(), b.end()) - Math.max(a.start(), b.start());
                    overlaps.add(String.format("%s and %s were in service at once for %.1f ms: %s / %s", a.log(),
                            b.log(), overlap / 1e6, a, b));
                }
            }
        }
        List<String> probeFailures = new ArrayList<>();
        for (Probe probe : probes) {
            List<Interval> serving = intervals.stream()
                    .filter(in -> in.service().equals(probe.service()) && in.servingFrom() >= 0
                            && in.servingFrom() <= probe.nanos() && probe.nanos() < in.end())
                    .toList();
            long nodes = serving.stream().map(Interval::node).distinct().count();
            if (nodes != 1) {
                probeFailures.add(probe.label() + " (" + probe.nanos() + "): " + probe.service() + " in service on "
                        + nodes + " nodes " + serving);
            }
        }
        return new Report(List.copyOf(intervals), overlaps, deadlineViolations, unleased, probeFailures);
    }

    private static final class Open {
        final long start;
        long epoch;
        long servingFrom = -1;
        long deadline = Long.MIN_VALUE;

        Open(long start, long epoch) {
            this.start = start;
            this.epoch = epoch;
        }
    }

    private static void intervals(AgentLog log, long safety, List<Interval> intervals, List<String> deadlineViolations,
            List<String> unleased) {
        Map<String, Open> open = new HashMap<>();
        long last = log.events().isEmpty() ? Long.MIN_VALUE : log.events().get(log.events().size() - 1).nanos();
        for (AgentEvent event : log.events()) {
            String service = event.service();
            if (service.isEmpty()) {
                continue;
            }
            Open current = open.get(service);
            if (event.is("LEASE", "acquired")) {
                if (current == null) {
                    current = new Open(event.nanos(), event.epoch());
                    open.put(service, current);
                }
                current.epoch = Math.max(current.epoch, event.epoch());
                extend(log, current, event);
            } else if (event.is("LEASE", "renewed")) {
                if (current != null) {
                    extend(log, current, event);
                }
            } else if (event.kind().equals("SERVICE_STATE")
                    && (event.outcome().equals("RESTORING") || event.outcome().equals("IN_SERVICE"))) {
                if (current == null) {
                    unleased.add(log.name() + ": " + event);
                } else if (event.outcome().equals("IN_SERVICE") && current.servingFrom < 0) {
                    current.servingFrom = event.nanos();
                }
            } else if (event.is("SERVICE_STATE", "OUT_OF_SERVICE") && current != null) {
                close(log, service, current, event.nanos(), last, safety, intervals, deadlineViolations);
                open.remove(service);
            }
        }
        open.forEach((service, current) -> close(log, service, current, -1, last, safety, intervals,
                deadlineViolations));
    }

    private static void extend(AgentLog log, Open current, AgentEvent event) {
        long validUntil = event.longDetail("valid-until-nanos", Long.MIN_VALUE);
        if (validUntil == Long.MIN_VALUE) {
            throw new IllegalArgumentException(log.name() + ": a lease event without valid-until-nanos: " + event);
        }
        current.deadline = Math.max(current.deadline, validUntil);
    }

    private static void close(AgentLog log, String service, Open current, long removedAt, long lastEvent, long safety,
            List<Interval> intervals, List<String> deadlineViolations) {
        long limit = current.deadline + safety;
        long end = removedAt >= 0 ? Math.min(removedAt, limit) : limit;
        Interval interval = new Interval(log.name(), log.node(), service, current.epoch, current.start,
                current.servingFrom, removedAt, current.deadline, end);
        intervals.add(interval);
        long allowed = allowedEnd(log, current.deadline, safety);
        if (removedAt >= 0 && removedAt > allowed) {
            deadlineViolations.add(String.format("%s finished removing %s %.1f ms after its deadline + safety margin"
                    + " (time frozen after the deadline excluded): %s", log.name(), service,
                    (removedAt - allowed) / 1e6, interval));
        } else if (removedAt < 0 && lastEvent > allowed) {
            deadlineViolations.add(String.format("%s went on running %.1f ms past its deadline + safety margin"
                    + " without removing %s: %s", log.name(), (lastEvent - allowed) / 1e6, service, interval));
        }
    }

    /** {@code deadline + safety}, pushed back by the time the process spent frozen from the deadline on. */
    static long allowedEnd(AgentLog log, long deadline, long safety) {
        long allowed = deadline + safety;
        List<Frozen> windows = log.frozen().stream().sorted(Comparator.comparingLong(Frozen::fromNanos)).toList();
        for (Frozen window : windows) {
            if (window.fromNanos() < allowed && window.toNanos() > deadline) {
                allowed += window.toNanos() - Math.max(window.fromNanos(), deadline);
            }
        }
        return allowed;
    }

}
