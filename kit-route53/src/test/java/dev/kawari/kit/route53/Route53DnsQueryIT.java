package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.OperationContext;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check's optional DNS query, against a real DNS server (dnsmasq) the test starts on loopback. The
 * addresses it answers are data only: nothing is sent to them.
 */
class Route53DnsQueryIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private Route53Fixture fixture;
    private Dnsmasq dns;
    /** The clock of the actions and checks: the DNS grace after a restore is measured on it. */
    private final FakeClock clock = new FakeClock();

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        dns = Dnsmasq.start(directory, Route53Fixture.ZONE);
    }

    @AfterEach
    void tearDown() {
        if (dns != null) {
            dns.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private OperationContext onA() {
        return OperationContexts.builder().node(fixture.identityA()).time(clock).deadline(Duration.ofSeconds(10))
                .build();
    }

    private Route53Resource withResolvers(String... resolvers) {
        return fixture.create(fixture.typeA, fixture.block() + ", resolvers = [\"" + String.join("\", \"", resolvers)
                + "\"]");
    }

    private String a() {
        return fixture.topology.nodeA().privateAddress();
    }

    private String b() {
        return fixture.topology.nodeB().privateAddress();
    }

    @Test
    void aServerAnsweringThisNodesAddressIsHealthy() throws Exception {
        Route53Resource resource = withResolvers(dns.address());
        resource.restore(onA());
        dns.answer(Route53Fixture.NAME, a());

        assertThat(resource.check(onA())).isEqualTo(CheckResult.healthy());
    }

    @Test
    void aServerAnsweringAnotherAddressIsUnhealthyOnceTheOldTtlHasPassed() throws Exception {
        fixture.put(Route53Fixture.NAME, software.amazon.awssdk.services.route53.model.RRType.A, 60, b());
        Route53Resource resource = withResolvers(dns.address());
        resource.restore(onA());
        dns.answer(Route53Fixture.NAME, b()); // the old answer, still cached out there

        CheckResult early = resource.check(onA());
        clock.advance(Duration.ofSeconds(60).plus(Route53Resource.SETTLE));
        fixture.nextTick();
        CheckResult late = resource.check(onA());

        assertThat(early.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(early.reason()).contains(dns.address() + " answers " + b()).contains("TTL of 60 s");
        assertThat(late.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(late.reason()).contains("Route 53 points " + Route53Fixture.NAME + " at " + a())
                .contains(dns.address() + " answers " + b());
    }

    @Test
    void withoutARecentRepointAWrongAnswerIsUnhealthyAtOnce() throws Exception {
        Route53Resource writer = fixture.create(fixture.typeB, fixture.block());
        writer.restore(fixture.onA()); // another process (an earlier run of the agent) pointed it here
        Route53Resource resource = withResolvers(dns.address());
        dns.answer(Route53Fixture.NAME, "198.51.100.7");

        CheckResult result = resource.check(onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("answers 198.51.100.7");
    }

    @Test
    void aServerThatDoesNotKnowTheNameIsUnhealthy() throws Exception {
        Route53Resource writer = fixture.create(fixture.typeB, fixture.block());
        writer.restore(fixture.onA());
        Route53Resource resource = withResolvers(dns.address());
        dns.answer(Route53Fixture.NAME);

        CheckResult result = resource.check(onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("NXDOMAIN");
    }

    @Test
    void noServerAnsweringIsUnknownAndOneAnsweringRightIsEnough() throws Exception {
        Route53Resource both = withResolvers(dns.address(), "127.0.0.1:9");
        both.restore(onA());
        dns.answer(Route53Fixture.NAME, a());
        Route53Resource deadOnly = fixture.create(fixture.typeA, fixture.block() + ", resolvers = [\"127.0.0.1:9\"]");

        CheckResult withOneAlive = both.check(onA());
        CheckResult withNoneAlive = deadOnly.check(onA());

        assertThat(withOneAlive).isEqualTo(CheckResult.healthy());
        assertThat(withNoneAlive.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(withNoneAlive.reason()).contains("no DNS server answered").contains("127.0.0.1:9");
    }

    @Test
    void theRecordInRoute53StillDecidesFirst() throws Exception {
        Route53Resource resource = withResolvers(dns.address());
        fixture.put(Route53Fixture.NAME, software.amazon.awssdk.services.route53.model.RRType.A, 10, b());
        dns.answer(Route53Fixture.NAME, a()); // a stale cache that happens to say this node

        CheckResult result = resource.check(onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("points at " + b());
    }
}
