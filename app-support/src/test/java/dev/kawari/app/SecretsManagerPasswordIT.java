package dev.kawari.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.RecordingEventSink;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Secrets Manager password source against the emulator (moto_server, or KAWARI_AWS_ENDPOINT), with
 * a fault injector in between for throttling, server errors, refusals and slowness.
 */
class SecretsManagerPasswordIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static final String PASSWORD = "Sm-Pa55-" + Long.toHexString(System.nanoTime());

    private final RecordingEventSink events = new RecordingEventSink();
    private final List<PasswordSource> opened = new ArrayList<>();
    private AwsEndpoint endpoint;
    private SecretsManagerClient secrets;
    private AwsFaultInjector faults;

    @BeforeEach
    void setUp() throws Exception {
        endpoint = aws.endpoint();
        secrets = endpoint.secretsManager();
        faults = AwsFaultInjector.start(endpoint.uri());
    }

    @AfterEach
    void tearDown() {
        opened.forEach(PasswordSource::close);
        faults.close();
        secrets.close();
    }

    private String createSecret(String name, String value) {
        return secrets.createSecret(request -> request.name(name).secretString(value)).arn();
    }

    private SecretsManagerPassword source(String secretId, Optional<String> jsonField, Optional<String> region) {
        AwsSettings settings = new AwsSettings(region, Map.of("secretsmanager", faults.uri()), Optional.empty(),
                Optional.empty(), Optional.empty());
        SecretsManagerPassword source = new SecretsManagerPassword(secretId, jsonField, "password-secret-json-key",
                settings, InstanceMetadata.fromEnvironment(), PasswordSourcesTest.UNAVAILABLE);
        opened.add(source);
        return source;
    }

    private SecretsManagerPassword source(String secretId) {
        return source(secretId, Optional.empty(), Optional.of(endpoint.region()));
    }

    private OperationContext context(Duration deadline) {
        return OperationContexts.builder().deadline(deadline).events(events).build();
    }

    private OperationContext context() {
        return context(Duration.ofSeconds(10));
    }

    @Test
    void aPlainSecretIsThePassword() {
        createSecret("kawari/plain", PASSWORD);

        Password password = source("kawari/plain").read(context());

        assertThat(password.value()).isEqualTo(PASSWORD);
        assertThat(events.lastNote().message()).isEqualTo("reading the password of Secrets Manager secret"
                + " 'kawari/plain' made 1 AWS call(s): secretsmanager:GetSecretValue=1");
        assertNoTraceInEvents();
    }

    @Test
    void aFieldOfAJsonSecretIsThePassword() {
        createSecret("kawari/json", "{\"username\": \"kawari_monitor\", \"password\": \"" + PASSWORD + "\"}");

        Password password = source("kawari/json", Optional.of("password"), Optional.of(endpoint.region()))
                .read(context());

        assertThat(password.value()).isEqualTo(PASSWORD);
    }

    @Test
    void aMissingSecretIsAConfigurationProblemNamingIt() {
        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> source("kawari/absent").read(context()));

        assertThat(thrown.code()).isEqualTo(PasswordSourcesTest.UNAVAILABLE);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.retryable()).isFalse();
        assertThat(thrown.getMessage()).contains("configuration problem", "'kawari/absent'", endpoint.region(),
                "does not exist", "ResourceNotFoundException");
    }

    @Test
    void jsonSecretsThatDoNotFitTheSettingAreConfigurationProblemsThatNeverQuoteTheSecret() {
        createSecret("kawari/json", "{\"username\": \"kawari_monitor\", \"password\": \"" + PASSWORD + "\"}");
        createSecret("kawari/plain", PASSWORD);
        createSecret("kawari/number", "{\"password\": 12345}");

        List<KawariException> thrown = List.of(
                catchThrowableOfType(KawariException.class, () -> source("kawari/json").read(context())),
                catchThrowableOfType(KawariException.class, () -> source("kawari/json", Optional.of("secret"),
                        Optional.of(endpoint.region())).read(context())),
                catchThrowableOfType(KawariException.class, () -> source("kawari/plain", Optional.of("password"),
                        Optional.of(endpoint.region())).read(context())),
                catchThrowableOfType(KawariException.class, () -> source("kawari/number", Optional.of("password"),
                        Optional.of(endpoint.region())).read(context())));

        assertThat(thrown).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo(PasswordSourcesTest.UNAVAILABLE);
            assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("12345");
        });
        assertThat(thrown.get(0).getMessage()).contains("holds a JSON object", "password-secret-json-key");
        assertThat(thrown.get(1).getMessage()).contains("has no field 'secret'");
        assertThat(thrown.get(2).getMessage()).contains("is not a JSON object");
        assertThat(thrown.get(3).getMessage()).contains("is not a string");
    }

    @Test
    void throttlingIsRetriedThenRetryableAndExternal() {
        createSecret("kawari/plain", PASSWORD);
        faults.throttleAll();
        long started = System.nanoTime();

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> source("kawari/plain").read(context(Duration.ofSeconds(4))));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(thrown.type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(thrown.getMessage()).contains("'kawari/plain'", "now", "gave up after");
        assertThat(faults.faulted("GetSecretValue")).as("retried while throttled").isGreaterThan(1);
        assertThat(took).as("within half of the caller's time, leaving it time to answer").isLessThan(
                Duration.ofMillis(2500));
    }

    @Test
    void serverErrorsAreRetryableAndExternal() {
        createSecret("kawari/plain", PASSWORD);
        faults.fail(request -> request.is("GetSecretValue"),
                AwsFaultInjector.Fault.error(500, "InternalServiceError", "We encountered an internal error"));

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> source("kawari/plain").read(context(Duration.ofSeconds(2))));

        assertThat(thrown.type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(thrown.retryable()).isTrue();
        assertThat(thrown.code()).isEqualTo(AwsErrorCodes.AWS_UNAVAILABLE);
    }

    @Test
    void aSlowSecretsManagerIsExternalNotATimeout() {
        createSecret("kawari/plain", PASSWORD);
        faults.slowAll(Duration.ofSeconds(10));
        long started = System.nanoTime();

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> source("kawari/plain").read(context(Duration.ofSeconds(2))));

        assertThat(thrown.type()).as("%s", thrown).isEqualTo(ErrorType.EXTERNAL);
        assertThat(thrown.retryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1900));
    }

    @Test
    void aRefusalIsAConfigurationProblemNamingTheAction() {
        createSecret("kawari/plain", PASSWORD);
        faults.fail(request -> request.is("GetSecretValue"), AwsFaultInjector.Fault.error(400, "AccessDeniedException",
                "User is not authorized to perform: secretsmanager:GetSecretValue"));

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> source("kawari/plain").read(context()));

        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("may not read", "secretsmanager:GetSecretValue", "kawari iam-policy");
        assertThat(faults.faulted("GetSecretValue")).as("not retried").isEqualTo(1);
    }

    @Test
    void aValueIsReusedUntilForgottenOrOld() {
        createSecret("kawari/plain", PASSWORD);
        FakeClock clock = new FakeClock();
        SecretsManagerPassword source = source("kawari/plain");
        OperationContexts.Builder context = OperationContexts.builder().time(clock).events(events);

        source.read(context.build());
        source.read(context.build());
        long afterTwoReads = faults.forwarded("GetSecretValue");
        secrets.putSecretValue(request -> request.secretId("kawari/plain").secretString("rotated-" + PASSWORD));
        source.forget();
        String afterForget = source.read(context.build()).value();
        clock.advance(SecretsManagerPassword.REUSE_FOR.minusSeconds(1));
        source.read(context.build());
        long beforeTooOld = faults.forwarded("GetSecretValue");
        clock.advance(Duration.ofSeconds(1));
        source.read(context.build());

        assertThat(afterTwoReads).isEqualTo(1);
        assertThat(afterForget).isEqualTo("rotated-" + PASSWORD);
        assertThat(beforeTooOld).isEqualTo(2);
        assertThat(faults.forwarded("GetSecretValue")).isEqualTo(3);
    }

    @Test
    void everyCallIsCountedUnderItsIamAction() {
        createSecret("kawari/plain", PASSWORD);
        ApiCallCounts before = ApiCallCounter.process().snapshot();

        source("kawari/plain").read(context());

        assertThat(ApiCallCounter.process().snapshot().since(before).byAction())
                .containsEntry(SecretsManagerPassword.GET_SECRET_VALUE, 1L);
    }

    @Test
    void theRegionOfAnArnWinsAndANameNeedsOne() throws Exception {
        String arn = createSecret("kawari/plain", PASSWORD);
        URI noImds = URI.create("http://127.0.0.1:" + SilentServer.closedPort());
        AwsSettings withoutRegion = new AwsSettings(Optional.empty(), Map.of("secretsmanager", faults.uri()),
                Optional.empty(), Optional.empty(), Optional.empty());
        SecretsManagerPassword byArn = new SecretsManagerPassword(arn, Optional.empty(), "k", withoutRegion,
                InstanceMetadata.at(noImds), PasswordSourcesTest.UNAVAILABLE);
        SecretsManagerPassword byName = new SecretsManagerPassword("kawari/plain", Optional.empty(), "k", withoutRegion,
                InstanceMetadata.at(noImds), PasswordSourcesTest.UNAVAILABLE);
        opened.add(byArn);
        opened.add(byName);

        assertThat(byArn.read(context()).value()).isEqualTo(PASSWORD);
        KawariException unknown = catchThrowableOfType(KawariException.class, () -> byName.read(context()));
        assertThat(unknown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(unknown.getMessage()).contains("region", "unknown", "kawari.aws.region");
        OperationContext nodeWithRegion = OperationContexts.builder().node(new dev.kawari.spi.NodeIdentity("node-a",
                Map.of("region", endpoint.region()))).build();
        assertThat(byName.read(nodeWithRegion).value()).isEqualTo(PASSWORD);
    }

    @Test
    void verifyReportsAConfigurationProblemAtTheKeyAndThrowsTheRest() {
        TestKitContext problems = new TestKitContext();

        source("kawari/absent").verify("password-secret-id", context(), problems);
        faults.throttleAll();
        KawariException throttled = catchThrowableOfType(KawariException.class,
                () -> source("kawari/absent").verify("password-secret-id", context(Duration.ofSeconds(2)), problems));

        assertThat(problems.problemKeys()).containsExactly("password-secret-id");
        assertThat(problems.problems().get(0).message()).contains("'kawari/absent'", "does not exist");
        assertThat(throttled.type()).isEqualTo(ErrorType.EXTERNAL);
    }

    private void assertNoTraceInEvents() {
        assertThat(events.notes()).isNotEmpty().allSatisfy(note -> {
            assertThat(note.message()).doesNotContain(PASSWORD);
            assertThat(note.details().values()).noneMatch(value -> value.contains(PASSWORD));
        });
    }
}
