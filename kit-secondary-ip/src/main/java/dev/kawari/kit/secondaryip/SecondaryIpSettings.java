package dev.kawari.kit.secondaryip;

import com.typesafe.config.Config;
import dev.kawari.aws.BlockReader;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code secondary-ip} block, validated.
 *
 * @param address the secondary private IP, an address of the nodes' subnet
 * @param unassignOnRemove whether remove unassigns the address from this node's interface
 * @param localAddress whether the address goes on this node's operating-system interface too
 * @param restoreTimeout how long restore and recover may take
 * @param removeTimeout how long remove may take
 * @param checkTimeout how long a check may take
 */
record SecondaryIpSettings(
        Ipv4Address address,
        boolean unassignOnRemove,
        boolean localAddress,
        Duration restoreTimeout,
        Duration removeTimeout,
        Duration checkTimeout) {

    SecondaryIpSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(removeTimeout, "removeTimeout");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /** The block's settings, or empty when a problem was reported. */
    static Optional<SecondaryIpSettings> read(Config block, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counting = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counting);
        Optional<Ipv4Address> address = keys.has("address") ? keys.optionalAddress("address")
                : keys.requiredString("address", "a free address of the nodes' subnet, such as \"10.0.1.50\"")
                        .flatMap(Ipv4Address::parse);
        boolean unassign = keys.bool("unassign-on-remove", true);
        boolean local = keys.bool("local-address", true);
        Duration restore = keys.positiveDuration("timeouts.restore", Duration.ofMinutes(2));
        Duration remove = keys.positiveDuration("timeouts.remove", Duration.ofMinutes(1));
        Duration check = keys.positiveDuration("timeouts.check", Duration.ofSeconds(20));
        if (reported[0] > 0 || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SecondaryIpSettings(address.get(), unassign, local, restore, remove, check));
    }
}
