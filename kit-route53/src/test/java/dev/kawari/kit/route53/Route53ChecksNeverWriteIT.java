package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.ApiCallCounts;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.monitor.MonitorRunner;
import dev.kawari.spi.CheckResult;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * Checks never write DNS, in any state and any mode: every request the kit sends goes through a
 * recording proxy, and the resource checks, the monitors (one-shot, on their schedule, and paused for
 * maintenance) of both nodes run while the record is missing, elsewhere, here, shadowed by a CNAME,
 * throttled and slow. Not one request is a write. The same proxy does see the write of a restore, so
 * the recording is shown to work.
 */
class Route53ChecksNeverWriteIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    @TempDir
    Path directory;

    private Route53Fixture fixture;
    private AwsFaultInjector proxy;
    private Route53Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Route53Fixture(aws.endpoint());
        proxy = AwsFaultInjector.start(aws.endpoint().uri());
        String hocon = "kawari {\n  cluster = files\n  " + aws.endpoint().awsSectionHocon(proxy.uri()) + "\n  "
                + fixture.topology.nodesHocon(aws.endpoint().region(), Map.of()).replace("\n", "\n  ")
                + "\n  services.files {\n    resources.dns {\n      type = route53\n      " + fixture.block()
                + "\n      sorry-address = \"198.51.100.99\"\n      resolvers = [\"127.0.0.1:9\"]\n      timeouts.check = 3s\n    }\n"
                // A threshold no test reaches: the ladder's recover would be the engine's write, not the check's.
                + "    monitors.dns { type = route53, target = dns, interval = 1s, timeout = 5s, failure-threshold = 1000 }\n"
                + "  }\n}\n";
        engine = new Route53Engine(directory, hocon, Route53Fixture.NO_IMDS);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        fixture.close();
    }

    /** Every check of both nodes, one-shot, scheduled and paused; returns what they answered. */
    private List<CheckResult.Status> checkEverywhere(ServiceRuntime onA, ServiceRuntime onB) throws Exception {
        List<CheckResult.Status> seen = new ArrayList<>();
        for (ServiceRuntime service : List.of(onA, onB)) {
            service.checkOnce(List.of("dns")).values().forEach(result -> seen.add(result.status()));
            for (MonitorRunner monitor : service.monitors()) {
                monitor.start();
                Thread.sleep(1_300); // at least one scheduled tick
                monitor.pause(); // maintenance: no schedule, but a one-shot check still runs
                seen.add(monitor.checkNow().get().status());
                monitor.stop();
            }
        }
        return seen;
    }

    private Set<String> writesSeen() {
        Set<String> writes = new TreeSet<>();
        // Route 53 (REST) reads are GETs; EC2 (Query protocol, always POST) reads are Describe* actions.
        proxy.requests().stream().filter(request -> request.isRoute53() ? !request.method().equals("GET")
                : !request.action().startsWith("Describe"))
                .forEach(request -> writes.add(request.method() + " " + request.path() + " " + request.action()));
        return writes;
    }

    @Test
    void noCheckInAnyStateSendsAWrite() throws Exception {
        List<CheckResult.Status> seen = new ArrayList<>();
        ApiCallCounts before = ApiCallCounter.process().snapshot();
        try (KawariConfig config = engine.engine.configs().load(engine.file);
                LocalNode a = engine.engine.startNode(config, "node-a");
                LocalNode b = engine.engine.startNode(config, "node-b")) {
            ServiceRuntime onA = a.service("files").orElseThrow();
            ServiceRuntime onB = b.service("files").orElseThrow();

            seen.addAll(checkEverywhere(onA, onB)); // no record at all

            fixture.put(Route53Fixture.NAME, RRType.A, 10, "198.51.100.7");
            seen.addAll(checkEverywhere(onA, onB)); // a record naming neither node

            fixture.put(Route53Fixture.NAME, RRType.A, 10, fixture.topology.nodeA().privateAddress());
            seen.addAll(checkEverywhere(onA, onB)); // A holds it (the resolver does not answer: Unknown on A)

            proxy.fail(request -> request.isRoute53(), AwsFaultInjector.Fault.route53Throttle());
            seen.addAll(checkEverywhere(onA, onB)); // throttled
            proxy.passAll();

            proxy.slowAll(Duration.ofSeconds(8));
            seen.addAll(checkEverywhere(onA, onB)); // too slow to answer
            proxy.passAll();

            fixture.route53.changeResourceRecordSets(request -> request.hostedZoneId(fixture.zoneId).changeBatch(batch ->
                    batch.changes(change -> change.action("DELETE").resourceRecordSet(set -> set.name(Route53Fixture.NAME)
                            .type(RRType.A).ttl(10L).resourceRecords(record -> record.value(
                                    fixture.topology.nodeA().privateAddress()))))));
            fixture.put(Route53Fixture.NAME, RRType.CNAME, 300, "nas.corp.example.");
            seen.addAll(checkEverywhere(onA, onB)); // shadowed by a CNAME

            Set<String> writes = writesSeen();
            ApiCallCounts made = ApiCallCounter.process().snapshot().since(before);

            assertThat(seen).contains(CheckResult.Status.UNHEALTHY, CheckResult.Status.UNKNOWN);
            assertThat(proxy.requests()).extracting(AwsFaultInjector.AwsRequest::action)
                    .contains("ListResourceRecordSets");
            assertThat(writes).as("write requests sent by checks").isEmpty();
            assertThat(made.byAction().keySet()).as("AWS operations of the checks")
                    .allSatisfy(action -> assertThat(action).matches("route53:(List|Get).*|ec2:Describe.*"));

            // The recording sees writes: a restore's UPSERT goes through the same proxy.
            fixture.route53.changeResourceRecordSets(request -> request.hostedZoneId(fixture.zoneId).changeBatch(batch ->
                    batch.changes(change -> change.action("DELETE").resourceRecordSet(set -> set.name(Route53Fixture.NAME)
                            .type(RRType.CNAME).ttl(300L).resourceRecords(record -> record.value("nas.corp.example."))))));
            assertThat(onB.restore(List.of("dns")).ok()).isTrue();
            assertThat(writesSeen()).anyMatch(write -> write.contains("ChangeResourceRecordSets"));
        }
    }
}
