package dev.kawari.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of an agent's JSON-lines event log ({@code JsonLinesEventLog}), as the chaos test and the
 * failover benchmark read it. {@code nanos} is the agent's {@code System.nanoTime()}, comparable
 * across processes on one Linux machine (CLOCK_MONOTONIC).
 */
public record AgentEvent(long nanos, String node, String service, String subject, long epoch, String kind,
        String outcome, String message, Map<String, String> details) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AgentEvent {
        details = Map.copyOf(details);
    }

    public static AgentEvent of(JsonNode line) {
        Map<String, String> details = new LinkedHashMap<>();
        line.path("details").fields().forEachRemaining(field -> details.put(field.getKey(), field.getValue().asText()));
        if (!line.has("nanos")) {
            throw new IllegalArgumentException("event without a monotonic 'nanos' stamp: " + line);
        }
        return new AgentEvent(line.path("nanos").asLong(), line.path("node").asText(), line.path("service").asText(),
                line.path("subject").asText(), line.path("epoch").asLong(), line.path("kind").asText(),
                line.path("outcome").asText(), line.path("message").asText(), details);
    }

    public static AgentEvent parse(String line) {
        try {
            return of(JSON.readTree(line));
        } catch (IOException e) {
            throw new UncheckedIOException("not an event: " + line, e);
        }
    }

    /** Every complete line of {@code file} (a killed agent may leave half a line at the end: it is skipped). */
    public static List<AgentEvent> readAll(Path file) {
        List<AgentEvent> events = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return events;
            }
            String text = Files.readString(file);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return events;
            }
            for (String line : text.substring(0, end).split("\n")) {
                if (!line.isBlank()) {
                    events.add(parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    public boolean is(String kind, String outcome) {
        return this.kind.equals(kind) && this.outcome.equals(outcome);
    }

    /** A long detail ({@code valid-until-nanos}), or {@code fallback}. */
    public long longDetail(String key, long fallback) {
        String value = details.get(key);
        return value == null || value.isEmpty() ? fallback : Long.parseLong(value);
    }

    public String detail(String key) {
        return details.getOrDefault(key, "");
    }

    @Override
    public String toString() {
        return nanos + " " + node + " " + kind + " " + (subject.isEmpty() ? service : service + "/" + subject) + " "
                + outcome + " (epoch " + epoch + ")" + (details.isEmpty() ? "" : " " + details) + ": " + message;
    }
}
