package dev.kawari.testkit;

import dev.kawari.spi.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An {@link EventSink} that keeps every note, for tests to read. Thread-safe. */
public final class RecordingEventSink implements EventSink {

    /**
     * One note as the kit left it.
     *
     * @param message the one-line message
     * @param details the details; copied
     */
    public record Note(String message, Map<String, String> details) {
        public Note {
            Objects.requireNonNull(message, "message");
            details = Map.copyOf(details);
        }
    }

    private final List<Note> notes = new ArrayList<>();

    /**
     * Records the note. Rejects a null message or detail value, as the engine would: a kit that
     * passes one has a bug.
     */
    @Override
    public synchronized void note(String message, Map<String, String> details) {
        notes.add(new Note(message, details));
    }

    /** Every note so far, oldest first. */
    public synchronized List<Note> notes() {
        return List.copyOf(notes);
    }

    /** The messages of {@link #notes()}. */
    public synchronized List<String> messages() {
        return notes.stream().map(Note::message).toList();
    }

    /** The most recent note. */
    public synchronized Note lastNote() {
        if (notes.isEmpty()) {
            throw new AssertionError("no note was recorded");
        }
        return notes.get(notes.size() - 1);
    }

    @Override
    public synchronized String toString() {
        return "RecordingEventSink" + notes;
    }
}
