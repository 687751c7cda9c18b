package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The ldap monitor with its bind password in AWS Secrets Manager (the emulator, through a fault
 * injector), against UnboundID's in-memory directory.
 */
class LdapSecretsManagerIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    static Path shared;

    static InMemoryDirectory directory;

    private final List<Monitor> monitors = new ArrayList<>();
    private SecretsManagerClient secrets;
    private AwsFaultInjector faults;

    @BeforeAll
    static void startDirectory() throws Exception {
        directory = new InMemoryDirectory(shared);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        secrets = aws.endpoint().secretsManager();
        faults = AwsFaultInjector.start(aws.endpoint().uri());
    }

    @AfterEach
    void tearDown() {
        monitors.forEach(Monitor::close);
        faults.close();
        secrets.close();
    }

    private Monitor monitor(String secretKeys) {
        TestKitContext context = new TestKitContext().withSection("aws", ConfigFactory.parseString(
                aws.endpoint().awsSectionHocon(faults.uri())).getConfig("aws"));
        Monitor monitor = new LdapMonitorType().create(KitConfigs.monitor("ldap", "url = \"" + directory.ldapUrl()
                + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX + "\"], bind-dn = \"" + InMemoryDirectory.MONITOR_DN
                + "\", " + secretKeys), context);
        assertThat(context.problems()).isEmpty();
        monitors.add(monitor);
        return monitor;
    }

    private static CheckResult check(Monitor monitor) throws InterruptedException {
        return monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(5)).build());
    }

    @Test
    void theSecretsPasswordBinds() throws Exception {
        secrets.createSecret(request -> request.name("ldap/plain").secretString(InMemoryDirectory.MONITOR_PASSWORD));
        secrets.createSecret(request -> request.name("ldap/json").secretString("{\"username\": \""
                + InMemoryDirectory.MONITOR_DN + "\", \"password\": \"" + InMemoryDirectory.MONITOR_PASSWORD + "\"}"));

        assertThat(check(monitor("bind-password-secret-id = \"ldap/plain\""))).isEqualTo(CheckResult.healthy());
        assertThat(check(monitor("bind-password-secret-id = \"ldap/json\", bind-password-secret-json-key = password")))
                .isEqualTo(CheckResult.healthy());
    }

    @Test
    void aMissingSecretIsAConfigurationProblemNamingIt() {
        Monitor monitor = monitor("bind-password-secret-id = \"ldap/absent\"");

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(LdapKit.LDAP_PASSWORD_UNAVAILABLE);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("'ldap/absent'", "does not exist");
    }

    @Test
    void aThrottledOrFailingSecretsManagerIsUnknownNotUnhealthy() throws Exception {
        secrets.createSecret(request -> request.name("ldap/plain").secretString(InMemoryDirectory.MONITOR_PASSWORD));
        faults.throttleAll();
        CheckResult throttled = check(monitor("bind-password-secret-id = \"ldap/plain\""));
        faults.passAll();
        faults.fail(request -> request.is("GetSecretValue"),
                AwsFaultInjector.Fault.error(503, "ServiceUnavailable", "Service unavailable"));
        CheckResult failing = check(monitor("bind-password-secret-id = \"ldap/plain\""));

        assertThat(throttled.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(throttled.reason()).contains("could not read the bind password now", "'ldap/plain'", "throttled");
        assertThat(failing.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(failing.reason()).contains("'ldap/plain'");
    }

    @Test
    void aRotatedPasswordIsReadAgainAfterTheServerRefusedTheOldOne() throws Exception {
        secrets.createSecret(request -> request.name("ldap/rotating").secretString("the-old-password"));
        Monitor monitor = monitor("bind-password-secret-id = \"ldap/rotating\"");

        KawariException refused = catchThrowableOfType(KawariException.class, () -> check(monitor));
        secrets.putSecretValue(request -> request.secretId("ldap/rotating")
                .secretString(InMemoryDirectory.MONITOR_PASSWORD));
        CheckResult afterRotation = check(monitor);

        assertThat(refused.code()).isEqualTo(LdapKit.LDAP_INVALID_CREDENTIALS);
        assertThat(refused.getMessage()).contains("Secrets Manager secret 'ldap/rotating'")
                .doesNotContain("the-old-password");
        assertThat(afterRotation).as("not the value kept from before the refusal").isEqualTo(CheckResult.healthy());
        assertThat(faults.forwarded("GetSecretValue")).isEqualTo(2);
    }

    @Test
    void verifyReportsAMissingSecretAtItsKey() throws Exception {
        TestKitContext problems = new TestKitContext();

        monitor("bind-password-secret-id = \"ldap/absent\"").verify(OperationContexts.standard(), problems);

        assertThat(problems.problemKeys()).containsExactly("bind-password-secret-id");
    }
}
