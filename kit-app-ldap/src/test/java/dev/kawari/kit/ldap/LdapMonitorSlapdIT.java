package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three distinct outcomes of the ldap monitor against a real slapd: healthy, configuration problem, Unhealthy. */
class LdapMonitorSlapdIT {
    @TempDir
    Path dir;
    private Slapd slapd;
    private Resource server;

    @BeforeEach
    void startSlapd() throws Exception {
        slapd = new Slapd(dir.resolve("slapd"));
        TestKitContext context = new TestKitContext();
        server = new LdapServerResourceType().create(KitConfigs.resource("ldap-server", "start = "
                + LdapServerResourceContractIT.vector(slapd.startCommand()) + ", stop = "
                + LdapServerResourceContractIT.vector(slapd.stopCommand()) + ", url = \"" + slapd.url() + "\""), context);
        assertThat(context.problems()).isEmpty();
        server.restore(OperationContexts.standard());
    }

    @AfterEach
    void stopSlapd() throws Exception {
        server.remove(OperationContexts.standard());
        slapd.close();
    }

    private Monitor monitor(String password) throws Exception {
        Path file = dir.resolve("password-" + password.hashCode());
        Files.writeString(file, password + "\n");
        TestKitContext context = new TestKitContext();
        Monitor monitor = new LdapMonitorType().create(KitConfigs.monitor("ldap", "url = \"" + slapd.url()
                + "\", base-dns = [\"" + slapd.suffix() + "\"], bind-dn = \"" + slapd.monitorDn()
                + "\", bind-password-file = \"" + file + "\""), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }

    private static CheckResult check(Monitor monitor) throws InterruptedException {
        return monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(5)).build());
    }

    @Test
    void bindAndSuffixReadAreHealthy() throws Exception {
        assertThat(check(monitor(slapd.monitorPassword()))).isEqualTo(CheckResult.healthy());
    }

    @Test
    void invalidCredentialsAreAConfigurationProblem() throws Exception {
        Monitor monitor = monitor("wrong-" + slapd.monitorPassword());

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_INVALID_CREDENTIALS);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("configuration problem").doesNotContain(slapd.monitorPassword());
    }

    @Test
    void stoppedServerIsUnhealthy() throws Exception {
        Monitor monitor = monitor(slapd.monitorPassword());

        server.remove(OperationContexts.standard());

        CheckResult result = check(monitor);
        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("unreachable");
        assertThat(server.check(OperationContexts.standard()).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void killedServerIsUnhealthyAndRecoverBringsItBack() throws Exception {
        Monitor monitor = monitor(slapd.monitorPassword());
        long killed = slapd.kill9();

        assertThat(check(monitor).status()).isEqualTo(CheckResult.Status.UNHEALTHY);

        server.recover(OperationContexts.standard());

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
        assertThat(slapd.process()).hasValueSatisfying(process -> assertThat(process.pid()).isNotEqualTo(killed));
    }
}
