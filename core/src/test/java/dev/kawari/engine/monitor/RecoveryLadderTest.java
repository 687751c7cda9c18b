package dev.kawari.engine.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.monitor.RecoveryLadder.Decision;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecoveryLadderTest {
    private long nanos;
    private final TimeSource time = new TimeSource() {
        @Override
        public Instant now() {
            return Instant.EPOCH.plusNanos(nanos);
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    };

    private static final CheckResult DOWN = CheckResult.unhealthy("down");

    @Test
    void recoversLocallyAfterThresholdConsecutiveFailures() {
        RecoveryLadder ladder = new RecoveryLadder(3, 1, Duration.ofHours(1), time);

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.NONE);
        assertThat(ladder.record(DOWN)).isEqualTo(Decision.NONE);
        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
    }

    @Test
    void healthyResetsTheCount() {
        RecoveryLadder ladder = new RecoveryLadder(2, 1, Duration.ofHours(1), time);

        ladder.record(DOWN);
        ladder.record(CheckResult.healthy());

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.NONE);
    }

    @Test
    void unknownNeverCountsAndNeverResets() {
        RecoveryLadder ladder = new RecoveryLadder(2, 1, Duration.ofHours(1), time);
        for (int i = 0; i < 100; i++) {
            assertThat(ladder.record(CheckResult.unknown("throttled"))).isEqualTo(Decision.NONE);
        }
        ladder.record(DOWN);
        ladder.record(CheckResult.unknown("throttled"));

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
    }

    @Test
    void failsOverWhenLocalRecoveriesInTheWindowAreUsedUp() {
        RecoveryLadder ladder = new RecoveryLadder(1, 2, Duration.ofMinutes(10), time);

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
        nanos += Duration.ofMinutes(1).toNanos();
        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
        nanos += Duration.ofMinutes(1).toNanos();
        assertThat(ladder.record(DOWN)).isEqualTo(Decision.FAIL_OVER);
    }

    @Test
    void recoveriesOlderThanTheWindowNoLongerCount() {
        RecoveryLadder ladder = new RecoveryLadder(1, 1, Duration.ofMinutes(10), time);

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
        nanos += Duration.ofMinutes(10).toNanos();
        assertThat(ladder.record(DOWN)).isEqualTo(Decision.RECOVER_LOCALLY);
    }

    @Test
    void zeroLocalRecoveriesFailsOverAtOnce() {
        RecoveryLadder ladder = new RecoveryLadder(1, 0, Duration.ofMinutes(10), time);

        assertThat(ladder.record(DOWN)).isEqualTo(Decision.FAIL_OVER);
    }
}
