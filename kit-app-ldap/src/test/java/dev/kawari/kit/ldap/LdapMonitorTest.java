package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ldap monitor against UnboundID's in-memory server, a closed port and a silent server, on loopback. */
class LdapMonitorTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static InMemoryDirectory directory;

    @BeforeAll
    static void startDirectory() throws Exception {
        directory = new InMemoryDirectory(shared);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    private static Monitor monitor(String block, Map<String, String> environment) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new LdapMonitorType(environment::get).create(KitConfigs.monitor("ldap", block), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }

    private static Monitor monitor(String block) {
        return monitor(block, Map.of("MONITOR_PASSWORD", InMemoryDirectory.MONITOR_PASSWORD,
                "WRONG_PASSWORD", "not-the-password"));
    }

    private static CheckResult check(Monitor monitor) throws InterruptedException {
        return monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(5)).build());
    }

    private static String bound(String url, String passwordEnv) {
        return "url = \"" + url + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX + "\"], bind-dn = \""
                + InMemoryDirectory.MONITOR_DN + "\", bind-password-env = " + passwordEnv;
    }

    @Test
    void bindAndSuffixReadAreHealthy() throws Exception {
        Monitor monitor = monitor(bound(directory.ldapUrl(), "MONITOR_PASSWORD"));

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
    }

    @Test
    void anonymousRootDseReadIsHealthyWithoutSuffixes() throws Exception {
        Monitor monitor = monitor("url = \"" + directory.ldapUrl() + "\"");

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
    }

    @Test
    void passwordFromAFileLosesItsTrailingLineBreak() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, InMemoryDirectory.MONITOR_PASSWORD + "\n");
        Monitor monitor = monitor("url = \"" + directory.ldapUrl() + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX
                + "\"], bind-dn = \"" + InMemoryDirectory.MONITOR_DN + "\", bind-password-file = \"" + file + "\"");

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
    }

    @Test
    void invalidCredentialsAreAConfigurationProblemNotUnhealthy() {
        Monitor monitor = monitor(bound(directory.ldapUrl(), "WRONG_PASSWORD"));

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown).as("invalid credentials must throw, which the engine records as Unknown").isNotNull();
        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_INVALID_CREDENTIALS);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("configuration problem", "result 49", InMemoryDirectory.MONITOR_DN,
                "environment variable WRONG_PASSWORD").doesNotContain("not-the-password");
    }

    @Test
    void unreachableServerIsUnhealthy() throws Exception {
        Monitor monitor = monitor("url = \"ldap://127.0.0.1:" + SilentServer.closedPort() + "\"");

        CheckResult result = check(monitor);

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("unreachable");
    }

    @Test
    void silentServerIsUnhealthyAfterTheTimeout() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Monitor monitor = monitor(bound("ldap://127.0.0.1:" + silent.port(), "MONITOR_PASSWORD"));
            Duration timeout = Duration.ofMillis(700);
            long start = System.nanoTime();

            CheckResult result = monitor.check(OperationContexts.builder().deadline(timeout).build());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
            assertThat(result.reason()).contains("no answer", "within 700 ms", "binding as");
            assertThat(took).as("Unhealthy only once the timeout has passed").isGreaterThanOrEqualTo(timeout.minusMillis(50));
            assertThat(silent.connections()).isEqualTo(1);
        }
    }

    @Test
    void missingSuffixIsUnhealthy() throws Exception {
        Monitor monitor = monitor("url = \"" + directory.ldapUrl() + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX
                + "\", \"ou=missing,dc=example,dc=com\"]");

        CheckResult result = check(monitor);

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("ou=missing,dc=example,dc=com", "no such object");
    }

    @Test
    void unsetPasswordVariableIsAConfigurationProblem() {
        Monitor monitor = monitor(bound(directory.ldapUrl(), "UNSET_VARIABLE"));

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_PASSWORD_UNAVAILABLE);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("UNSET_VARIABLE", "not set");
    }

    @Test
    void startTlsWithTheCaFileIsHealthy() throws Exception {
        Monitor monitor = monitor(bound(directory.ldapUrl(), "MONITOR_PASSWORD") + ", start-tls = true, ca-file = \""
                + directory.caFile() + "\"");

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
    }

    @Test
    void ldapsWithTheCaFileIsHealthy() throws Exception {
        Monitor monitor = monitor(bound(directory.ldapsUrl(), "MONITOR_PASSWORD") + ", ca-file = \""
                + directory.caFile() + "\"");

        assertThat(check(monitor)).isEqualTo(CheckResult.healthy());
    }

    @Test
    void untrustedCertificateIsAConfigurationProblem() {
        // The JVM's default trust store does not know the fresh self-signed certificate.
        Monitor monitor = monitor(bound(directory.ldapsUrl(), "MONITOR_PASSWORD"));

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_TLS_FAILED);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("configuration problem", "ca-file");
    }

    @Test
    void verifyReportsAnUnreadablePasswordSource() throws Exception {
        Monitor fromEnvironment = monitor(bound(directory.ldapUrl(), "UNSET_VARIABLE"));
        Monitor fromFile = monitor("url = \"" + directory.ldapUrl() + "\", bind-dn = \"" + InMemoryDirectory.MONITOR_DN
                + "\", bind-password-file = \"" + dir.resolve("absent") + "\"");
        TestKitContext problems = new TestKitContext();

        fromEnvironment.verify(OperationContexts.standard(), problems);
        fromFile.verify(OperationContexts.standard(), problems);

        assertThat(problems.problemKeys()).containsExactly("bind-password-env", "bind-password-file");
    }

    @Test
    void checkAnswersInterruptsPromptly() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Monitor monitor = monitor("url = \"ldap://127.0.0.1:" + silent.port() + "\"");
            Thread.currentThread().interrupt();

            Throwable thrown = catchThrowableOfType(InterruptedException.class,
                    () -> monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(30)).build()));

            assertThat(thrown).isNotNull();
            assertThat(silent.connections()).as("an interrupted check does not even connect").isZero();
        } finally {
            Thread.interrupted();
        }
    }
}
