package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's demo command, end to end: real processes, a real kill, a real recovery. */
class DemoCommandIT {

    @Test
    void demoShowsDetectionAndLocalRecoveryAndExitsZero() {
        KawariCommandTest.Run run = KawariCommandTest.kawari("demo");

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("website/content  restore ok")
                .contains("website/web      restore ok")
                .contains("kill -9 the web server")
                .contains("monitor failed recover locally")
                .contains("local recovery ok")
                .contains("Stopped cleanly.");
        assertThat(run.out().indexOf("website/web      remove ok"))
                .isLessThan(run.out().indexOf("website/content  remove ok"));
    }
}
