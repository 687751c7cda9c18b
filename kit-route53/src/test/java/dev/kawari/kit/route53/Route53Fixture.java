package dev.kawari.kit.route53;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.FakeClock;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.Ec2Topology;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/**
 * Two nodes of an {@link Ec2Topology} and a private hosted zone {@value #ZONE} associated with its VPC,
 * each node with its own kit type (as two hosts would have).
 */
final class Route53Fixture implements AutoCloseable {
    static final InstanceMetadata NO_IMDS = InstanceMetadata.at(URI.create("http://127.0.0.1:9"));
    static final String ZONE = "corp.example.";
    static final String NAME = "files.corp.example.";

    final AwsEndpoint endpoint;
    final Ec2Client ec2;
    final Route53Client route53;
    final Ec2Topology topology;
    final String zoneId;
    /** The clock of the shared reads' freshness: {@link #nextTick()} moves it past the window. */
    final FakeClock ticks = new FakeClock();
    final Route53ResourceType typeA;
    final Route53ResourceType typeB;
    private final List<Route53Resource> created = new ArrayList<>();

    Route53Fixture(AwsEndpoint endpoint) {
        this(endpoint, Ec2Topology.create(endpoint.ec2()));
    }

    Route53Fixture(AwsEndpoint endpoint, Ec2Topology topology) {
        this.endpoint = endpoint;
        this.ec2 = endpoint.ec2();
        this.route53 = endpoint.route53();
        this.topology = topology;
        this.zoneId = privateZone(route53, ZONE, topology.vpcId(), endpoint.region());
        this.typeA = type(ticks);
        this.typeB = type(ticks);
    }

    static Route53ResourceType type(TimeSource ticks) {
        return new Route53ResourceType(NO_IMDS, Duration.ofMillis(500), ticks, TimeSource.system());
    }

    /** A private hosted zone associated with {@code vpc}; its id without {@code /hostedzone/}. */
    static String privateZone(Route53Client route53, String name, String vpc, String region) {
        String id = route53.createHostedZone(request -> request.name(name).callerReference("kawari-" + System.nanoTime())
                .vpc(v -> v.vpcId(vpc).vpcRegion(VPCRegion.fromValue(region)))
                .hostedZoneConfig(config -> config.privateZone(true))).hostedZone().id();
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    /** A public hosted zone. */
    static String publicZone(Route53Client route53, String name) {
        String id = route53.createHostedZone(request -> request.name(name).callerReference("kawari-" + System.nanoTime()))
                .hostedZone().id();
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    /** The next monitor tick: what the checks of this one shared is stale now. */
    void nextTick() {
        ticks.advance(Duration.ofSeconds(1));
    }

    Route53Resource create(Route53ResourceType type, String block, URI endpoint) {
        TestKitContext context = new TestKitContext().withSection("aws",
                ConfigFactory.parseString(this.endpoint.awsSectionHocon(endpoint)).getConfig("aws"));
        Route53Resource resource = (Route53Resource) type.create(KitConfigs.resource("route53", block), context);
        assertThat(context.problems()).as("problems of %s", block).isEmpty();
        created.add(resource);
        return resource;
    }

    Route53Resource create(Route53ResourceType type, String block) {
        return create(type, block, endpoint.uri());
    }

    /** The record {@value #NAME} in the zone, TTL 10 s. */
    String block() {
        return block(NAME);
    }

    String block(String name) {
        return "hosted-zone-id = \"" + zoneId + "\", name = \"" + name + "\", ttl = 10s";
    }

    NodeIdentity identityA() {
        return identity(topology.nodeA(), endpoint.region());
    }

    NodeIdentity identityB() {
        return identity(topology.nodeB(), endpoint.region());
    }

    static NodeIdentity identity(Ec2Topology.Node node, String region) {
        return new NodeIdentity(node.name(), Map.of("instance-id", node.instanceId(), "eni", node.eni(),
                "region", region));
    }

    OperationContext onA() {
        return on(identityA(), Duration.ofSeconds(30));
    }

    OperationContext onB() {
        return on(identityB(), Duration.ofSeconds(30));
    }

    static OperationContext on(NodeIdentity node, Duration deadline) {
        return OperationContexts.builder().node(node).deadline(deadline).build();
    }

    /** The addresses of record {@code name} (type A) as the zone holds it now; empty when there is none. */
    List<String> addresses(String name) {
        return record(name).map(set -> set.resourceRecords().stream().map(ResourceRecord::value).sorted()
                .collect(Collectors.toList())).orElse(List.of());
    }

    Optional<ResourceRecordSet> record(String name) {
        return route53.listResourceRecordSets(request -> request.hostedZoneId(zoneId).startRecordName(name)
                .startRecordType(RRType.A).maxItems("1")).resourceRecordSets().stream()
                .filter(set -> set.name().equalsIgnoreCase(name) && set.type() == RRType.A).findFirst();
    }

    /** Writes record {@code name} type {@code type} with {@code values} behind the kit's back. */
    void put(String name, RRType type, long ttl, String... values) {
        List<ResourceRecord> records = java.util.Arrays.stream(values).map(value -> ResourceRecord.builder().value(value)
                .build()).toList();
        route53.changeResourceRecordSets(request -> request.hostedZoneId(zoneId).changeBatch(batch -> batch.changes(
                change -> change.action(ChangeAction.UPSERT).resourceRecordSet(set -> set.name(name).type(type).ttl(ttl)
                        .resourceRecords(records)))));
    }

    @Override
    public void close() {
        created.forEach(Route53Resource::close);
        ec2.close();
        route53.close();
    }
}
