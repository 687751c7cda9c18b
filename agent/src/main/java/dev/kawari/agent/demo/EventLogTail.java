package dev.kawari.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the complete lines appended to a JSON-lines event log since the last call. */
public final class EventLogTail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();

    public EventLogTail(Path file) {
        this.file = file;
    }

    /** Events appended since the last call, in file order. */
    public List<JsonNode> poll() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return events;
            }
            byte[] bytes = new byte[(int) (length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            offset = length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
        }
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, newline);
            partial.delete(0, newline + 1);
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }
}
