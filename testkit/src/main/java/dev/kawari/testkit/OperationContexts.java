package dev.kawari.testkit;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.EventSink;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link OperationContext}s for tests, built fluently from sensible defaults:
 *
 * <pre>{@code
 * RecordingEventSink events = new RecordingEventSink();
 * OperationContext context = OperationContexts.builder()
 *         .deadline(Duration.ofSeconds(5))
 *         .events(events)
 *         .build();
 * resource.restore(context);
 * assertThat(events.messages()).anyMatch(message -> message.contains("exited 0"));
 * }</pre>
 *
 * <p>Defaults: service {@code svc}, subject {@code res}, node {@code node-a} without attributes,
 * epoch 0, attempt 1, a deadline of {@link #DEFAULT_DEADLINE} on the context's time source (read
 * when {@link Builder#build()} is called), the system clock and sleeper, and a fresh {@link
 * RecordingEventSink}.
 */
public final class OperationContexts {
    /** The deadline of a context when the test sets none. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private OperationContexts() {
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A context with every default. */
    public static OperationContext standard() {
        return builder().build();
    }

    /**
     * The recording sink of a context built here without {@link Builder#events(EventSink)}, or one
     * passed in.
     *
     * @throws AssertionError if the context's sink is not a {@link RecordingEventSink}
     */
    public static RecordingEventSink recorded(OperationContext context) {
        if (context.events() instanceof RecordingEventSink recording) {
            return recording;
        }
        throw new AssertionError("the context's event sink is not a RecordingEventSink: " + context.events());
    }

    /**
     * Collects the parts of one context. Not thread-safe; {@link #build()} may be called many times,
     * each time starting a new deadline from the time source's present.
     */
    public static final class Builder {
        private String service = "svc";
        private String subject = "res";
        private NodeIdentity node = NodeIdentity.named("node-a");
        private long epoch;
        private int attempt = 1;
        private Duration deadline = DEFAULT_DEADLINE;
        private TimeSource time = TimeSource.system();
        private Sleeper sleeper = Sleeper.system();
        private EventSink events;

        private Builder() {
        }

        public Builder service(String service) {
            this.service = Objects.requireNonNull(service, "service");
            return this;
        }

        public Builder subject(String subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        public Builder node(NodeIdentity node) {
            this.node = Objects.requireNonNull(node, "node");
            return this;
        }

        public Builder epoch(long epoch) {
            this.epoch = epoch;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        /** The budget of the deadline, which starts when {@link #build()} is called. */
        public Builder deadline(Duration budget) {
            this.deadline = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** The clock of the context and of its deadline. */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Where notes go; by default a fresh {@link RecordingEventSink} for every built context. */
        public Builder events(EventSink events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public OperationContext build() {
            EventSink sink = events != null ? events : new RecordingEventSink();
            return new OperationContext(service, subject, node, epoch, attempt, Deadline.after(deadline, time), time,
                    sleeper, sink);
        }
    }
}
