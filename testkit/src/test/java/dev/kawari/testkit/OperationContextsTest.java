package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.spi.EventSink;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationContextsTest {

    @Test
    void defaultsNameAServiceResourceAndNode() {
        OperationContext context = OperationContexts.standard();

        assertThat(context.service()).isEqualTo("svc");
        assertThat(context.subject()).isEqualTo("res");
        assertThat(context.node()).isEqualTo(NodeIdentity.named("node-a"));
        assertThat(context.epoch()).isZero();
        assertThat(context.attempt()).isEqualTo(1);
        assertThat(context.deadline().budget()).isEqualTo(OperationContexts.DEFAULT_DEADLINE);
        assertThat(context.events()).isInstanceOf(RecordingEventSink.class);
    }

    @Test
    void theDeadlineRunsOnTheContextsClock() {
        FakeClock clock = new FakeClock();

        OperationContext context = OperationContexts.builder().time(clock).deadline(Duration.ofSeconds(2)).build();
        clock.advance(Duration.ofSeconds(2));

        assertThat(context.time()).isSameAs(clock);
        assertThat(context.deadline().expired()).isTrue();
    }

    @Test
    void everyPartCanBeSet() {
        RecordingEventSink events = new RecordingEventSink();
        NodeIdentity node = new NodeIdentity("node-b", Map.of("instance-id", "i-0bbb"));
        FakeClock clock = new FakeClock();
        ManualSleeper sleeper = new ManualSleeper(clock);

        OperationContext context = OperationContexts.builder().service("directory").subject("vip").node(node)
                .epoch(7).attempt(3).time(clock).sleeper(sleeper).events(events).build();

        assertThat(context).extracting(OperationContext::service, OperationContext::subject, OperationContext::node,
                        OperationContext::epoch, OperationContext::attempt, OperationContext::sleeper,
                        OperationContext::events)
                .containsExactly("directory", "vip", node, 7L, 3, sleeper, events);
    }

    @Test
    void eachBuiltContextRecordsItsOwnNotes() {
        OperationContexts.Builder builder = OperationContexts.builder();
        OperationContext first = builder.build();
        OperationContext second = builder.build();

        first.events().note("one", Map.of("k", "v"));

        assertThat(OperationContexts.recorded(first).notes())
                .containsExactly(new RecordingEventSink.Note("one", Map.of("k", "v")));
        assertThat(OperationContexts.recorded(second).notes()).isEmpty();
    }

    @Test
    void recordedRejectsAContextWithAnotherSink() {
        OperationContext context = OperationContexts.builder().events(EventSink.discarding()).build();

        assertThatThrownBy(() -> OperationContexts.recorded(context)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theSinkRejectsNullDetailsAsTheEngineDoes() {
        RecordingEventSink events = new RecordingEventSink();
        Map<String, String> withNull = new java.util.HashMap<>();
        withNull.put("output", null);

        assertThatThrownBy(() -> events.note("ran", withNull)).isInstanceOf(NullPointerException.class);
        assertThat(events.notes()).isEmpty();
    }

    @Test
    void lastNoteIsTheMostRecent() {
        RecordingEventSink events = new RecordingEventSink();
        events.note("first", Map.of());
        events.note("second", Map.of());

        assertThat(events.lastNote().message()).isEqualTo("second");
        assertThat(events.messages()).containsExactly("first", "second");
    }
}
