package dev.kawari.engine.event;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every event as one JSON object per line to a file.
 *
 * <p>Engine threads only enqueue; one writer thread encodes and writes, and flushes whenever it
 * has caught up, so the file is at most a moment behind and disk latency never lengthens an
 * action. {@link #close()} writes everything still queued before it returns.
 *
 * <p>Fields: {@code time} (ISO-8601), {@code nanos} (monotonic), {@code cluster}, {@code node},
 * {@code service}, {@code subject}, {@code epoch}, {@code kind}, {@code outcome},
 * {@code duration_ms} (when present), {@code message}, {@code details} (object of strings).
 */
public final class JsonLinesEventLog implements EventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesEventLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Event END = new Event(java.time.Instant.EPOCH, 0, "", "", "", "", 0, EventKind.NOTE, "",
            java.util.Optional.empty(), "end of log", Map.of());

    private final Path path;
    private final OutputStream out;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    /** Opens {@code path} for appending, creating it and its parent directories if needed. */
    public JsonLinesEventLog(Path path) {
        this.path = path;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = new BufferedOutputStream(
                    Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open event log " + path + ": " + e.getMessage(), e);
        }
        this.writer = new Thread(this::write, "kawari-event-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public Path path() {
        return path;
    }

    @Override
    public void onEvent(Event event) {
        queue.add(event);
    }

    private void write() {
        List<Event> batch = new ArrayList<>();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, true);
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                for (Event event : batch) {
                    if (event == END) {
                        json.flush();
                        return;
                    }
                    writeEvent(json, event);
                    json.writeRaw('\n');
                }
                batch.clear();
                if (queue.isEmpty()) {
                    json.flush();
                }
            }
        } catch (IOException e) {
            LOG.error("cannot append to event log {}: {}; later events are not written to it", path, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One event as a JSON line, newline included. */
    public static byte[] encode(Event event) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            writeEvent(json, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private static void writeEvent(JsonGenerator json, Event event) throws IOException {
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
    }

    /** Writes what is queued, then closes the file. Events arriving afterwards are dropped. */
    @Override
    public void close() {
        queue.add(END);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.error("cannot close event log {}: {}", path, e.getMessage());
        }
    }
}
