package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.spi.Deadline;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void advanceMovesWallAndMonotonicTimeTogether() {
        FakeClock clock = new FakeClock(Instant.parse("2030-05-01T12:00:00Z"));
        long before = clock.nanoTime();

        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.now()).isEqualTo(Instant.parse("2030-05-01T12:00:01.500Z"));
        assertThat(clock.nanoTime() - before).isEqualTo(1_500_000_000L);
    }

    @Test
    void timeStandsStillUntilAdvanced() {
        FakeClock clock = new FakeClock();
        long nanos = clock.nanoTime();

        assertThat(clock.now()).isEqualTo(FakeClock.DEFAULT_START);
        assertThat(clock.nanoTime()).isEqualTo(nanos);
    }

    @Test
    void monotonicTimeNeverGoesBack() {
        FakeClock clock = new FakeClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingTheWallClockLeavesDeadlinesAlone() {
        FakeClock clock = new FakeClock();
        Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);

        clock.setNow(FakeClock.DEFAULT_START.plus(Duration.ofDays(1)));

        assertThat(clock.now()).isEqualTo(FakeClock.DEFAULT_START.plus(Duration.ofDays(1)));
        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aDeadlineOnTheClockExpiresOnlyWhenTheClockIsAdvanced() {
        FakeClock clock = new FakeClock();
        Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);

        clock.advance(Duration.ofSeconds(9));
        assertThat(deadline.expired()).isFalse();
        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        assertThat(deadline.expired()).isTrue();
    }
}
