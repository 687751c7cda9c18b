package dev.kawari.kit.routetable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import dev.kawari.aws.BlockReader;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ec2-route-table} block, validated.
 *
 * @param address the virtual IP
 * @param routeTables the route table ids; empty for {@code auto} (every table of the VPC)
 * @param vpcId the VPC; empty for "the VPC of this node's interface"
 * @param createMissingRoutes whether restore creates a missing route
 * @param disableSourceDestCheck whether restore turns off this node's source/destination check
 * @param localAddress whether the address goes on this node's interface too
 * @param restoreTimeout how long restore and recover may take
 * @param removeTimeout how long remove may take
 * @param checkTimeout how long a check may take
 */
record RouteTableSettings(
        Ipv4Address address,
        Optional<List<String>> routeTables,
        Optional<String> vpcId,
        boolean createMissingRoutes,
        boolean disableSourceDestCheck,
        boolean localAddress,
        Duration restoreTimeout,
        Duration removeTimeout,
        Duration checkTimeout) {

    static final String AUTO = "auto";

    RouteTableSettings {
        Objects.requireNonNull(address, "address");
        routeTables = routeTables.map(List::copyOf);
        Objects.requireNonNull(vpcId, "vpcId");
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(removeTimeout, "removeTimeout");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /** The block's settings, or empty when a problem was reported. */
    static Optional<RouteTableSettings> read(Config block, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counting = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counting);
        Optional<Ipv4Address> address = keys.has("address") ? keys.optionalAddress("address")
                : keys.requiredString("address", "the virtual IP, such as \"10.200.0.10\"").flatMap(Ipv4Address::parse);
        Optional<List<String>> tables = Optional.empty();
        if (!keys.has("route-tables")) {
            counting.problem("route-tables", "missing required key 'route-tables': a list of route table ids"
                    + " [\"rtb-…\"], or \"auto\" for every route table of the VPC");
        } else if (block.getValue("route-tables").valueType() == ConfigValueType.STRING) {
            String text = block.getString("route-tables").trim();
            if (!AUTO.equals(text)) {
                counting.problem("route-tables", "'route-tables' must be a list of route table ids or \"auto\", got '"
                        + text + "'" + (text.startsWith("rtb-") ? " (write a list: [\"" + text + "\"])" : ""));
            }
        } else {
            tables = keys.ids("route-tables", "rtb-");
        }
        Optional<String> vpcId = keys.optionalId("vpc-id", "vpc-");
        boolean createMissingRoutes = keys.bool("create-missing-routes", true);
        boolean disableSourceDestCheck = keys.bool("disable-source-dest-check", true);
        boolean localAddress = keys.bool("local-address", true);
        Duration restore = keys.positiveDuration("timeouts.restore", Duration.ofMinutes(2));
        Duration remove = keys.positiveDuration("timeouts.remove", Duration.ofSeconds(30));
        Duration check = keys.positiveDuration("timeouts.check", Duration.ofSeconds(20));
        if (reported[0] > 0 || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RouteTableSettings(address.get(), tables, vpcId, createMissingRoutes,
                disableSourceDestCheck, localAddress, restore, remove, check));
    }

    /** {@code address/32}: the route's destination and the local address. */
    String cidr() {
        return address.hostCidr();
    }

    /** The route tables as written, or {@code auto}. */
    String describeTables() {
        return routeTables.map(List::toString).orElse(AUTO);
    }
}
