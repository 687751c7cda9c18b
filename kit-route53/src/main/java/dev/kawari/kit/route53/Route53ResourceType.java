package dev.kawari.kit.route53;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Nodes;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.aws.InterfaceAddresses;
import dev.kawari.aws.RequestRate;
import dev.kawari.aws.SharedDescribe;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Resource type {@code route53}. One instance serves every resource of the type in the process and
 * owns what they share: the names in use per hosted zone and one {@code ListResourceRecordSets} for
 * all of them per zone per monitor tick; the request rate to Route 53 (five requests per second per
 * account, for this process); the nodes' identities and published addresses.
 */
public final class Route53ResourceType implements ResourceType {
    static final String ID = "route53";

    static final String LIST_RESOURCE_RECORD_SETS = "route53:ListResourceRecordSets";
    static final String CHANGE_RESOURCE_RECORD_SETS = "route53:ChangeResourceRecordSets";
    static final String GET_CHANGE = "route53:GetChange";
    static final String GET_HOSTED_ZONE = "route53:GetHostedZone";

    /** Route 53's API limit: five requests per second per account, for every operation together. */
    static final double REQUESTS_PER_SECOND = 5;

    /** What one shared read is about: one hosted zone, seen with one set of clients. */
    record ZoneKey(AwsSettings settings, String zoneId) {
    }

    /**
     * One answer of the shared read.
     *
     * @param asked the names asked for
     * @param found the record sets of the names that exist, by name
     */
    record ZoneRecords(Set<RecordName> asked, Map<RecordName, List<ResourceRecordSet>> found) {
        ZoneRecords {
            asked = Set.copyOf(asked);
            found = Map.copyOf(found);
        }

        RecordState state(RecordName name) {
            List<ResourceRecordSet> sets = found.get(name);
            return sets == null ? RecordState.ABSENT : RecordState.of(sets);
        }
    }

    private final SharedDescribe<ZoneKey, ZoneRecords> records;
    private final Ec2Nodes nodes;
    private final PublishedAddresses addresses;
    private final TimeSource rateClock;
    private final Map<AwsSettings, RequestRate> rates = new HashMap<>();
    private final Map<ZoneKey, Map<RecordName, Integer>> inUse = new HashMap<>();

    public Route53ResourceType(InstanceMetadata metadata) {
        this(metadata, SharedDescribe.DEFAULT_FRESHNESS, TimeSource.system(), TimeSource.system());
    }

    /**
     * @param time the clock of the shared reads' freshness and of remembered addresses
     * @param rateClock the clock the request rate refills by; it must advance as the operations'
     *     sleepers wait
     */
    Route53ResourceType(InstanceMetadata metadata, Duration freshness, TimeSource time, TimeSource rateClock) {
        this.nodes = new Ec2Nodes(metadata, InterfaceAddresses.system());
        this.records = new SharedDescribe<>(freshness, time);
        this.addresses = new PublishedAddresses(time);
        this.rateClock = Objects.requireNonNull(rateClock, "rateClock");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Route 53 A record pointed at the active node (on-premises and peered clients, other regions)";
    }

    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        AwsSettings aws = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> context.problem(null,
                message));
        Optional<Route53Settings> settings = Route53Settings.read(definition.config(), context.nodes().keySet(),
                context);
        return settings.map(valid -> new Route53Resource(context.cluster() + "/" + definition.service() + "/"
                + definition.id(), valid, aws, this)).orElse(null);
    }

    /**
     * Exactly the actions a resource configured with {@code config} calls: the record read, the change
     * and its status, the zone (verify), the node's network interface (its address, and verify), and
     * {@code ec2:DescribeAddresses} only when a node publishes an Elastic IP.
     */
    @Override
    public Set<String> iamActions(Config config) {
        Set<String> actions = new TreeSet<>(List.of(LIST_RESOURCE_RECORD_SETS, CHANGE_RESOURCE_RECORD_SETS, GET_CHANGE,
                GET_HOSTED_ZONE, PublishedAddresses.DESCRIBE_NETWORK_INTERFACES));
        if (config.hasPath("addresses") && config.getValue("addresses") instanceof ConfigObject perNode) {
            for (ConfigValue value : perNode.values()) {
                if (value.valueType() == ConfigValueType.STRING
                        && ((String) value.unwrapped()).trim().startsWith("eipalloc-")) {
                    actions.add(PublishedAddresses.DESCRIBE_ADDRESSES);
                }
            }
        }
        return actions;
    }

    SharedDescribe<ZoneKey, ZoneRecords> records() {
        return records;
    }

    Ec2Nodes nodes() {
        return nodes;
    }

    PublishedAddresses addresses() {
        return addresses;
    }

    /** The request rate of every Route 53 call made with {@code settings} (one account). */
    RequestRate rate(AwsSettings settings) {
        synchronized (rates) {
            return rates.computeIfAbsent(settings, key -> new RequestRate(REQUESTS_PER_SECOND,
                    (int) REQUESTS_PER_SECOND, "route53", rateClock));
        }
    }

    /** Counts a resource's name in, so that shared reads of its zone ask for it. */
    void use(ZoneKey zone, RecordName name) {
        synchronized (inUse) {
            inUse.computeIfAbsent(zone, key -> new HashMap<>()).merge(name, 1, Integer::sum);
        }
    }

    /** Counts a closed resource's name out. */
    void release(ZoneKey zone, RecordName name) {
        synchronized (inUse) {
            Map<RecordName, Integer> names = inUse.get(zone);
            if (names != null && names.computeIfPresent(name, (key, count) -> count > 1 ? count - 1 : null) == null
                    && names.isEmpty()) {
                inUse.remove(zone);
            }
        }
    }

    /** Every name the resources of {@code zone} watch, in Route 53's order. */
    Set<RecordName> inUse(ZoneKey zone) {
        synchronized (inUse) {
            return new TreeSet<>(Objects.requireNonNullElse(inUse.get(zone), Map.<RecordName, Integer>of()).keySet());
        }
    }
}
