package dev.kawari.engine.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every event as one JSON object per line to a file, flushed per event so that another
 * process (a failover timeline checker, {@code tail -f}) sees it at once.
 *
 * <p>Fields: {@code time} (ISO-8601), {@code nanos} (monotonic), {@code cluster}, {@code node},
 * {@code service}, {@code subject}, {@code epoch}, {@code kind}, {@code outcome},
 * {@code duration_ms} (when present), {@code message}, {@code details} (object of strings).
 */
public final class JsonLinesEventLog implements EventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final OutputStream out;

    /** Opens {@code path} for appending, creating it and its parent directories if needed. */
    public JsonLinesEventLog(Path path) {
        this.path = path;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open event log " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void onEvent(Event event) {
        byte[] line = encode(event);
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                LOG.error("cannot append to event log {}: {}", path, e.getMessage());
            }
        }
    }

    /** One event as a JSON line, newline included. */
    public static byte[] encode(Event event) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("time", event.time().toString());
            json.writeNumberField("nanos", event.monotonicNanos());
            json.writeStringField("cluster", event.cluster());
            json.writeStringField("node", event.node());
            json.writeStringField("service", event.service());
            json.writeStringField("subject", event.subject());
            json.writeNumberField("epoch", event.epoch());
            json.writeStringField("kind", event.kind().name());
            json.writeStringField("outcome", event.outcome());
            if (event.duration().isPresent()) {
                json.writeNumberField("duration_ms", event.duration().get().toNanos() / 1_000_000.0);
            }
            json.writeStringField("message", event.message());
            json.writeObjectFieldStart("details");
            for (Map.Entry<String, String> detail : event.details().entrySet()) {
                json.writeStringField(detail.getKey(), detail.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.error("cannot close event log {}: {}", path, e.getMessage());
            }
        }
    }
}
