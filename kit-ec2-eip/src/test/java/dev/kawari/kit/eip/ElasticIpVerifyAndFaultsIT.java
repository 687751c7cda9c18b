package dev.kawari.kit.eip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verification against the world with located problems, and AWS faults, for the Elastic IP kit. */
class ElasticIpVerifyAndFaultsIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private ElasticIpFixture fixture;
    private AwsFaultInjector faults;
    private String written;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ElasticIpFixture(aws.endpoint());
        faults = AwsFaultInjector.start(aws.endpoint().uri());
    }

    @AfterEach
    void tearDown() {
        faults.close();
        fixture.close();
    }

    private List<ConfigProblem> verifyOnA(String nodes, String resource) throws Exception {
        String hocon = "kawari {\n  cluster = eip\n  " + aws.endpoint().awsSectionHocon() + "\n  "
                + nodes.replace("\n", "\n  ") + "\n  services.web {\n    resources.ip {\n      type = ec2-eip\n      "
                + resource.replace("\n", "\n      ") + "\n    }\n    monitors.ip { type = ec2-eip, target = ip }\n  }\n}\n";
        Path file = directory.resolve("kawari.conf");
        Files.writeString(file, hocon);
        written = hocon;
        KitRegistry registry = KitRegistry.of(List.of(new ElasticIpKit(ElasticIpFixture.type(TimeSource.system()))),
                getClass().getClassLoader());
        Engine engine = new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(),
                new EventBus());
        try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
            InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class, node::verify);
            if (invalid == null) {
                return List.of();
            }
            String[] lines = hocon.split("\n");
            for (ConfigProblem problem : invalid.problems()) {
                assertThat(problem.file()).isEqualTo(file.toString());
                assertThat(problem.line()).isBetween(1, lines.length);
            }
            return invalid.problems();
        }
    }

    /** The 1-based line of the configuration last written that contains {@code text}. */
    private int lineOf(String text) {
        String[] lines = written.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + text);
    }

    private String nodes() {
        return fixture.topology.nodesHocon(aws.endpoint().region(), Map.of());
    }

    @Test
    void aSoundConfigurationVerifies() throws Exception {
        assertThat(verifyOnA(nodes(), fixture.block())).isEmpty();
        assertThat(verifyOnA(nodes(), fixture.block() + "\nprivate-address = \"" + fixture.topology.nodeA().privateAddress()
                + "\"")).isEmpty();
    }

    @Test
    void anUnknownAllocationIsRejectedAtItsLine() throws Exception {
        List<ConfigProblem> problems = verifyOnA(nodes(), "allocation-id = \"eipalloc-0123456789abcdef0\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("eipalloc-0123456789abcdef0"));
            assertThat(problem.message()).contains("unknown Elastic IP allocation eipalloc-0123456789abcdef0");
        });
    }

    @Test
    void aPrivateAddressThatIsNotTheNodesIsRejectedAtItsLine() throws Exception {
        List<ConfigProblem> problems = verifyOnA(nodes(), fixture.block() + "\nprivate-address = \"10.0.9.9\"");

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(lineOf("10.0.9.9"));
            assertThat(problem.message()).contains("10.0.9.9").contains(fixture.topology.nodeA().eni());
        });
    }

    @Test
    void aMissingNodeIdentityIsRejectedWhenImdsDoesNotAnswer() throws Exception {
        List<ConfigProblem> problems = verifyOnA("nodes { node-a { priority = 1 }, node-b { priority = 2 } }",
                fixture.block());

        assertThat(problems).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("node 'node-a'").contains("eni").contains("IMDSv2"));
    }

    @Test
    void throttledChecksAreUnknown() throws Exception {
        ElasticIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        resource.restore(fixture.onA());
        fixture.nextTick();
        faults.throttleAll();

        CheckResult result = resource.check(fixture.onA());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(result.reason()).contains("AWS_THROTTLED").contains("ec2:DescribeAddresses");
    }

    @Test
    void aSlowApiMakesTheCheckUnknownBeforeItsTimeout() throws Exception {
        ElasticIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.slowAll(Duration.ofSeconds(30));
        OperationContext check = ElasticIpFixture.on(fixture.identityA(), Duration.ofSeconds(1));
        long start = System.nanoTime();

        CheckResult result = resource.check(check);

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void restoreRetriesThroughThrottlingAndSucceedsOnceItStops() throws Exception {
        ElasticIpResource resource = fixture.create(fixture.typeA, fixture.block(), faults.uri());
        faults.throttleAll();
        CompletableFuture<Void> restore = CompletableFuture.runAsync(() -> {
            try {
                resource.restore(ElasticIpFixture.on(fixture.identityA(), Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (faults.faulted("DescribeAddresses") < 3 && System.nanoTime() - until < 0) {
            Thread.sleep(50);
        }
        assertThat(restore).isNotDone();

        faults.passAll();
        restore.get(30, TimeUnit.SECONDS);

        assertThat(fixture.associatedEni()).contains(fixture.topology.nodeA().eni());
    }
}
