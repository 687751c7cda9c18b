package dev.kawari.kit.route53;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kawari.aws.BlockReader;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code route53} block, validated.
 *
 * @param hostedZoneId the zone, without {@code /hostedzone/}
 * @param name the record
 * @param ttlSeconds the record's TTL
 * @param defaultAddress what a node publishes unless {@code addresses} names it
 * @param addresses per node name, a literal address or an Elastic IP; copied
 * @param sorryAddress where remove points the record, if anywhere
 * @param resolvers DNS servers the check asks too; copied
 * @param clientVpcs VPCs a private zone must be associated with; copied
 * @param restoreTimeout how long restore and recover may take
 * @param removeTimeout how long remove may take
 * @param checkTimeout how long a check may take
 */
record Route53Settings(
        String hostedZoneId,
        RecordName name,
        long ttlSeconds,
        NodeAddress defaultAddress,
        Map<String, NodeAddress> addresses,
        Optional<Ipv4Address> sorryAddress,
        List<DnsServer> resolvers,
        List<ClientVpc> clientVpcs,
        Duration restoreTimeout,
        Duration removeTimeout,
        Duration checkTimeout) {

    static final Duration SHORTEST_TTL = Duration.ofSeconds(1);
    static final Duration LONGEST_TTL = Duration.ofHours(1);
    private static final Pattern ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final String PRIVATE_IP = "private-ip";
    private static final String PUBLIC_IP = "public-ip";

    Route53Settings {
        Objects.requireNonNull(hostedZoneId, "hostedZoneId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultAddress, "defaultAddress");
        addresses = Map.copyOf(addresses);
        Objects.requireNonNull(sorryAddress, "sorryAddress");
        resolvers = List.copyOf(resolvers);
        clientVpcs = List.copyOf(clientVpcs);
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(removeTimeout, "removeTimeout");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /** What node {@code node} publishes. */
    NodeAddress addressOf(String node) {
        return addresses.getOrDefault(node, defaultAddress);
    }

    /**
     * The block's settings, or empty when a problem was reported.
     *
     * @param nodes the cluster's node names, which {@code addresses} may name
     */
    static Optional<Route53Settings> read(Config block, Set<String> nodes, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counting = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counting);
        Optional<String> zone = keys.requiredString("hosted-zone-id",
                "the hosted zone of the record, such as \"Z0123456789ABCDEFGHIJ\"").flatMap(id -> zoneId(id, counting));
        Optional<RecordName> name = keys.requiredString("name",
                "the record's fully qualified name, such as \"files.corp.example.\"").flatMap(written -> {
                    Optional<String> problem = RecordName.problemWith(written);
                    problem.ifPresent(message -> counting.problem("name", "'name': " + message));
                    return problem.isPresent() ? Optional.empty() : RecordName.parse(written);
                });
        long ttl = ttl(keys, counting);
        NodeAddress defaultAddress = defaultAddress(keys, counting);
        Map<String, NodeAddress> addresses = addresses(block, nodes, counting);
        Optional<Ipv4Address> sorry = keys.optionalAddress("sorry-address");
        sorry.ifPresent(address -> addresses.forEach((node, published) -> {
            if (published instanceof NodeAddress.Literal literal && literal.address().equals(address)) {
                counting.problem("sorry-address", "sorry-address " + address + " is also the address of node '" + node
                        + "' in 'addresses': after a remove the record would still name that node");
            }
        }));
        List<DnsServer> resolvers = resolvers(block, counting);
        List<ClientVpc> clientVpcs = clientVpcs(block, counting);
        Duration restore = keys.positiveDuration("timeouts.restore", Duration.ofMinutes(3));
        Duration remove = keys.positiveDuration("timeouts.remove", Duration.ofMinutes(3));
        Duration check = keys.positiveDuration("timeouts.check", Duration.ofSeconds(20));
        if (reported[0] > 0 || zone.isEmpty() || name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Route53Settings(zone.get(), name.get(), ttl, defaultAddress, addresses, sorry,
                resolvers, clientVpcs, restore, remove, check));
    }

    private static Optional<String> zoneId(String written, ProblemReporter problems) {
        String id = written.startsWith("/hostedzone/") ? written.substring("/hostedzone/".length()) : written;
        if (!ZONE_ID.matcher(id).matches()) {
            problems.problem("hosted-zone-id", "'" + written + "' is not a hosted zone id: Route 53 zone ids are up to"
                    + " 32 upper-case letters and digits, such as Z0123456789ABCDEFGHIJ");
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private static long ttl(BlockReader keys, ProblemReporter problems) {
        Duration ttl = keys.positiveDuration("ttl", Duration.ofSeconds(10));
        if (ttl.toNanos() % 1_000_000_000L != 0) {
            problems.problem("ttl", "'ttl' must be whole seconds (DNS has no shorter unit), got " + ttl.toMillis()
                    + " ms");
        } else if (ttl.compareTo(SHORTEST_TTL) < 0 || ttl.compareTo(LONGEST_TTL) > 0) {
            problems.problem("ttl", "'ttl' must be between 1s and 1h, got " + ttl.toSeconds() + "s: resolvers hand out"
                    + " the old address for up to the TTL after a failover");
        }
        return ttl.toSeconds();
    }

    private static NodeAddress defaultAddress(BlockReader keys, ProblemReporter problems) {
        Optional<String> written = keys.optionalString("address");
        if (written.isEmpty() || written.get().equals(PRIVATE_IP)) {
            return new NodeAddress.PrivateIp();
        }
        if (written.get().equals(PUBLIC_IP)) {
            return new NodeAddress.PublicIp();
        }
        problems.problem("address", "'address' must be " + PRIVATE_IP + " or " + PUBLIC_IP + ", got '" + written.get()
                + "'; for a literal address or an Elastic IP per node, use addresses { NODE = \"…\" }");
        return new NodeAddress.PrivateIp();
    }

    private static Map<String, NodeAddress> addresses(Config block, Set<String> nodes, ProblemReporter problems) {
        Map<String, NodeAddress> addresses = new LinkedHashMap<>();
        ConfigValue value = value(block, "addresses");
        if (value == null) {
            return addresses;
        }
        if (!(value instanceof ConfigObject object)) {
            problems.problem("addresses", "'addresses' must be an object of node = address, such as addresses {"
                    + " files-a = \"203.0.113.10\" }");
            return addresses;
        }
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String node = entry.getKey();
            String key = "addresses." + com.typesafe.config.ConfigUtil.quoteString(node);
            if (!nodes.contains(node)) {
                problems.problem(key, "'addresses' names node '" + node + "', which is not in kawari.nodes (nodes: "
                        + String.join(", ", new java.util.TreeSet<>(nodes)) + ")");
                continue;
            }
            if (entry.getValue().valueType() != ConfigValueType.STRING) {
                problems.problem(key, "the address of node '" + node + "' must be a string: an IPv4 address or an"
                        + " Elastic IP allocation id");
                continue;
            }
            String text = ((String) entry.getValue().unwrapped()).trim();
            if (text.startsWith("eipalloc-")) {
                if (new BlockReader(block, problems).checkId(key, text, "eipalloc-")) {
                    addresses.put(node, new NodeAddress.ElasticIp(text));
                }
                continue;
            }
            Optional<Ipv4Address> address = Ipv4Address.parse(text);
            if (address.isEmpty() || !address.get().isUnicastHost()) {
                problems.problem(key, "the address of node '" + node + "' must be a unicast IPv4 address such as"
                        + " 203.0.113.10 or an Elastic IP allocation id such as eipalloc-0123456789abcdef0, got '"
                        + text + "'");
                continue;
            }
            addresses.put(node, new NodeAddress.Literal(address.get()));
        }
        return addresses;
    }

    private static List<DnsServer> resolvers(Config block, ProblemReporter problems) {
        List<DnsServer> servers = new ArrayList<>();
        ConfigValue value = value(block, "resolvers");
        if (value == null) {
            return servers;
        }
        if (!(value instanceof ConfigList list)) {
            problems.problem("resolvers", "'resolvers' must be a list of DNS server addresses, such as"
                    + " [\"10.0.0.2\", \"10.20.0.10:53\"]");
            return servers;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigValue element : list) {
            Optional<DnsServer> server = element.valueType() == ConfigValueType.STRING
                    ? DnsServer.parse((String) element.unwrapped()) : Optional.empty();
            if (server.isEmpty()) {
                problems.problem("resolvers", "'resolvers' lists " + element.render() + ", which is not a DNS server"
                        + " address with an optional port, such as \"10.0.0.2\", \"10.20.0.10:53\" or \"[fd00::2]:53\""
                        + " (host names are not accepted: DNS would be needed to find DNS)");
            } else if (!seen.add(server.get().toString())) {
                problems.problem("resolvers", "'resolvers' lists " + server.get() + " more than once");
            } else {
                servers.add(server.get());
            }
        }
        return servers;
    }

    private static List<ClientVpc> clientVpcs(Config block, ProblemReporter problems) {
        List<ClientVpc> vpcs = new ArrayList<>();
        ConfigValue value = value(block, "client-vpcs");
        if (value == null) {
            return vpcs;
        }
        String example = " such as { id = \"vpc-0123456789abcdef0\", region = \"eu-west-1\" }";
        if (!(value instanceof ConfigList list)) {
            problems.problem("client-vpcs", "'client-vpcs' must be a list of VPCs," + example);
            return vpcs;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigValue element : list) {
            if (!(element instanceof ConfigObject object)) {
                problems.problem("client-vpcs", "'client-vpcs' lists " + element.render() + "; each VPC is an object,"
                        + example);
                continue;
            }
            Set<String> unknown = new LinkedHashSet<>(object.keySet());
            unknown.removeAll(Set.of("id", "region"));
            if (!unknown.isEmpty()) {
                problems.problem("client-vpcs", "unknown key(s) " + unknown + " in a VPC of 'client-vpcs': each VPC has"
                        + " exactly id and region," + example);
                continue;
            }
            String id = text(object.get("id"));
            String region = text(object.get("region"));
            if (id == null || region == null) {
                problems.problem("client-vpcs", "a VPC of 'client-vpcs' needs both id and region (strings)," + example);
                continue;
            }
            if (!id.matches("vpc-([0-9a-f]{8}|[0-9a-f]{17})")) {
                problems.problem("client-vpcs", "'" + id + "' in 'client-vpcs' is not a valid vpc-… id (vpc- followed"
                        + " by 8 or 17 hexadecimal digits)");
                continue;
            }
            if (!REGION.matcher(region).matches()) {
                problems.problem("client-vpcs", "'" + region + "' (the region of " + id + " in 'client-vpcs') is not an"
                        + " AWS region name such as us-east-1 or eu-west-2");
                continue;
            }
            if (!seen.add(id + "@" + region)) {
                problems.problem("client-vpcs", "'client-vpcs' lists " + id + " in " + region + " more than once");
                continue;
            }
            vpcs.add(new ClientVpc(id, region));
        }
        return vpcs;
    }

    private static String text(ConfigValue value) {
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            return null;
        }
        String text = ((String) value.unwrapped()).trim();
        return text.isEmpty() ? null : text;
    }

    private static ConfigValue value(Config block, String key) {
        try {
            return block.hasPath(key) ? block.getValue(key) : null;
        } catch (ConfigException e) {
            return null;
        }
    }
}
