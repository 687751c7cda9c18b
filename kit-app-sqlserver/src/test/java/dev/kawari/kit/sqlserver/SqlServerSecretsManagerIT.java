package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The sqlserver monitor and resource with their password in AWS Secrets Manager (the emulator,
 * through a fault injector). No SQL Server runs here: a closed port shows that the check went on to
 * log in, a silent server that it did not even connect.
 */
class SqlServerSecretsManagerIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    static final String PASSWORD = "Secret-Pa55-" + Long.toHexString(System.nanoTime());

    private final List<AutoCloseable> opened = new ArrayList<>();
    private SecretsManagerClient secrets;
    private AwsFaultInjector faults;

    @BeforeEach
    void setUp() throws Exception {
        secrets = aws.endpoint().secretsManager();
        faults = AwsFaultInjector.start(aws.endpoint().uri());
        secrets.createSecret(request -> request.name("mssql/monitor").secretString("{\"username\": \"kawari_monitor\","
                + " \"password\": \"" + PASSWORD + "\"}"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        faults.close();
        secrets.close();
    }

    private TestKitContext context() {
        return new TestKitContext().withSection("aws", ConfigFactory.parseString(
                aws.endpoint().awsSectionHocon(faults.uri())).getConfig("aws"));
    }

    private static String login(int port, String secretId) {
        return "url = \"jdbc:sqlserver://127.0.0.1:" + port + ";encrypt=false\", user = kawari_monitor,"
                + " password-secret-id = \"" + secretId + "\", password-secret-json-key = password, login-timeout = 1s";
    }

    private Monitor monitor(int port, String secretId) {
        TestKitContext context = context();
        Monitor monitor = new SqlServerMonitorType().create(KitConfigs.monitor("sqlserver", login(port, secretId)),
                context);
        assertThat(context.problems()).isEmpty();
        opened.add(monitor);
        return monitor;
    }

    private static CheckResult check(Monitor monitor) throws InterruptedException {
        return monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(5)).build());
    }

    @Test
    void theSecretIsReadAndTheLoginTried() throws Exception {
        CheckResult result = check(monitor(SilentServer.closedPort(), "mssql/monitor"));

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("unreachable").doesNotContain(PASSWORD);
        assertThat(faults.forwarded("GetSecretValue")).isEqualTo(1);
    }

    @Test
    void aMissingSecretIsAConfigurationProblemNamingItNeverUnhealthy() throws Exception {
        Monitor monitor = monitor(SilentServer.closedPort(), "mssql/absent");

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("configuration problem", "'mssql/absent'", "does not exist");
    }

    @Test
    void throttlingAndServerErrorsAreUnknownAndTheServerIsNotAsked() throws Exception {
        try (SilentServer server = new SilentServer()) {
            faults.throttleAll();
            CheckResult throttled = check(monitor(server.port(), "mssql/monitor"));
            faults.passAll();
            faults.fail(request -> request.is("GetSecretValue"),
                    AwsFaultInjector.Fault.error(500, "InternalServiceError", "internal error"));
            CheckResult failing = check(monitor(server.port(), "mssql/monitor"));

            assertThat(throttled.status()).isEqualTo(CheckResult.Status.UNKNOWN);
            assertThat(throttled.reason()).contains("could not read the password now", "'mssql/monitor'", "throttled");
            assertThat(failing.status()).isEqualTo(CheckResult.Status.UNKNOWN);
            assertThat(failing.reason()).contains("'mssql/monitor'", "failed on the AWS side");
            assertThat(server.connections()).as("no login was attempted without a password").isZero();
        }
    }

    @Test
    void theResourcesCheckIsUnknownTooAndVerifyReportsAMissingSecret() throws Exception {
        TestKitContext context = context();
        Resource resource = new SqlServerResourceType().create(KitConfigs.resource("sqlserver",
                login(SilentServer.closedPort(), "mssql/absent") + ", start = [\"true\"], stop = [\"true\"]"), context);
        opened.add(resource);
        TestKitContext problems = new TestKitContext();

        resource.verify(OperationContexts.standard(), problems);
        faults.throttleAll();
        CheckResult throttled = resource.check(OperationContexts.builder().deadline(Duration.ofSeconds(5)).build());

        assertThat(problems.problemKeys()).containsExactly("password-secret-id");
        assertThat(throttled.status()).isEqualTo(CheckResult.Status.UNKNOWN);
    }
}
