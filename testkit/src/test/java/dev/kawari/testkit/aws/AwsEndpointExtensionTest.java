package dev.kawari.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Without any AWS endpoint, CI fails with the install command and a workstation skips. */
class AwsEndpointExtensionTest {
    @Test
    void underCiAMissingEndpointFailsTheTests() {
        Throwable thrown = catchThrowable(() -> AwsEndpointExtension.unavailable("no endpoint; "
                + MotoServer.INSTALL_HINT, "true"));

        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("pip install 'moto[server]==5.2.1'");
    }

    @Test
    void elsewhereAMissingEndpointSkipsTheTestsWithTheReason() {
        assertThat(AwsEndpointExtension.unavailable("no endpoint", null)).isInstanceOf(TestAbortedException.class)
                .hasMessage("no endpoint");
        assertThat(AwsEndpointExtension.unavailable("no endpoint", "false")).isInstanceOf(TestAbortedException.class);
    }
}
