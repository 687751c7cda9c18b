package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's demo command, end to end: two real agent processes, a real crash, a real failover. */
class DemoCommandIT {

    @Test
    void demoShowsATwoNodeFailoverTimelineAndExitsZero() {
        KawariCommandTest.Run run = KawariCommandTest.kawari("demo");

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("node-a in service under epoch 1.")
                .contains("service website: holder node-a, epoch 1; here: standby, OUT_OF_SERVICE")
                .contains("kill -9 its agent")
                .contains("node-b  website          LEASE ACQUIRED (epoch 2)")
                .contains("node-b  website/web      restore ok")
                .contains("node-b  website/http     monitor says healthy")
                .contains("service website: holder node-b, epoch 2; here: active, IN_SERVICE")
                .containsPattern("node-a +NO ")
                .containsPattern("Failover: lease taken over [0-9.]+ s after the crash")
                .contains("Stopped cleanly.");
        assertThat(run.out().indexOf("LEASE ACQUIRED")).isLessThan(run.out().indexOf("website/web      restore ok"));
        assertThat(run.out().indexOf("website/web      remove ok"))
                .isLessThan(run.out().indexOf("website/content  remove ok"));
    }
}
