package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients built from the aws section, against the emulator (through a fault injector to watch the wire). */
class AwsClientsIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private AwsFaultInjector wire;
    private final List<AwsFaultInjector.AwsRequest> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        wire = AwsFaultInjector.start(aws.endpoint().uri());
        // A rule that never applies, only to record what passes.
        wire.fail(request -> {
            seen.add(request);
            return false;
        }, AwsFaultInjector.Fault.throttle());
    }

    @AfterEach
    void stop() {
        wire.close();
    }

    private AwsSettings settings(Optional<String> roleArn, Optional<String> externalId) {
        URI endpoint = wire.uri();
        return new AwsSettings(Optional.of(aws.endpoint().region()), Map.of("ec2", endpoint, "sts", endpoint),
                Optional.empty(), roleArn, externalId);
    }

    private static OperationContext context() {
        return OperationContexts.builder().deadline(Duration.ofSeconds(20)).build();
    }

    @Test
    void callsGoToTheEndpointOverrideAndAreCountedPerAction() {
        ApiCallCounts before = ApiCallCounter.process().snapshot();
        try (AwsClients.Lease lease = AwsClients.lease(settings(Optional.empty(), Optional.empty()))) {
            lease.calls().on(context()).act("ec2:DescribeVpcs", limits -> lease.ec2(aws.endpoint().region())
                    .describeVpcs(request -> request.overrideConfiguration(limits)));
        }

        assertThat(seen).extracting(AwsFaultInjector.AwsRequest::action).containsExactly("DescribeVpcs");
        assertThat(ApiCallCounter.process().snapshot().since(before).byAction()).containsExactly(
                Map.entry("ec2:DescribeVpcs", 1L));
    }

    @Test
    void theSdkDoesNotRetryOnItsOwnSoTheDeadlineIsKawaris() {
        wire.throttleAll();
        try (AwsClients.Lease lease = AwsClients.lease(settings(Optional.empty(), Optional.empty()))) {
            KawariException failure = catchThrowableOfType(KawariException.class, () -> lease.calls().on(context())
                    .ask("ec2:DescribeVpcs", limits -> lease.ec2(aws.endpoint().region())
                            .describeVpcs(request -> request.overrideConfiguration(limits))));

            assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        }
        assertThat(wire.faulted("DescribeVpcs")).isEqualTo(1);
    }

    @Test
    void aRoleIsAssumedWithTheExternalIdBeforeCalling() {
        ApiCallCounts before = ApiCallCounter.process().snapshot();
        try (AwsClients.Lease lease = AwsClients.lease(settings(Optional.of("arn:aws:iam::123456789012:role/kawari"),
                Optional.of("ext-42")))) {
            lease.calls().on(context()).act("ec2:DescribeVpcs", limits -> lease.ec2(aws.endpoint().region())
                    .describeVpcs(request -> request.overrideConfiguration(limits)));
        }

        AwsFaultInjector.AwsRequest assume = seen.stream().filter(request -> request.is("AssumeRole")).findFirst()
                .orElseThrow();
        assertThat(assume.parameter("RoleArn")).isEqualTo("arn:aws:iam::123456789012:role/kawari");
        assertThat(assume.parameter("ExternalId")).isEqualTo("ext-42");
        assertThat(assume.parameter("RoleSessionName")).startsWith("kawari-");
        assertThat(seen).extracting(AwsFaultInjector.AwsRequest::action).containsExactly("AssumeRole", "DescribeVpcs");
        assertThat(ApiCallCounter.process().snapshot().since(before).byAction()).containsOnlyKeys("sts:AssumeRole",
                "ec2:DescribeVpcs");
    }

    @Test
    void leasesShareClientsAndTheLastOneClosesThem() {
        AwsSettings settings = settings(Optional.empty(), Optional.empty());
        AwsClients.Lease first = AwsClients.lease(settings);
        AwsClients.Lease second = AwsClients.lease(settings);
        var shared = first.ec2("us-east-1");

        assertThat(second.ec2("us-east-1")).isSameAs(shared);
        first.close();
        second.ec2("us-east-1").describeVpcs();
        second.close();
        try (AwsClients.Lease third = AwsClients.lease(settings)) {
            assertThat(third.ec2("us-east-1")).isNotSameAs(shared);
        }
        assertThat(catchThrowableOfType(IllegalStateException.class, () -> first.ec2("us-east-1")))
                .hasMessageContaining("closed");
    }
}
