package dev.kawari.kit.eip;

import com.typesafe.config.Config;
import dev.kawari.aws.BlockReader;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ec2-eip} block, validated.
 *
 * @param allocationId the Elastic IP
 * @param privateAddress the private address of this node's interface to associate it with; empty for the primary
 * @param disassociateOnRemove whether remove disassociates the address when it is still this node's
 * @param restoreTimeout how long restore and recover may take
 * @param removeTimeout how long remove may take
 * @param checkTimeout how long a check may take
 */
record ElasticIpSettings(
        String allocationId,
        Optional<Ipv4Address> privateAddress,
        boolean disassociateOnRemove,
        Duration restoreTimeout,
        Duration removeTimeout,
        Duration checkTimeout) {

    ElasticIpSettings {
        Objects.requireNonNull(allocationId, "allocationId");
        Objects.requireNonNull(privateAddress, "privateAddress");
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(removeTimeout, "removeTimeout");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /** The block's settings, or empty when a problem was reported. */
    static Optional<ElasticIpSettings> read(Config block, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counting = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counting);
        Optional<String> allocation = keys.requiredString("allocation-id",
                "the Elastic IP's allocation id, such as \"eipalloc-0123456789abcdef0\"")
                .filter(id -> keys.checkId("allocation-id", id, "eipalloc-"));
        Optional<Ipv4Address> privateAddress = keys.optionalAddress("private-address");
        boolean disassociate = keys.bool("disassociate-on-remove", true);
        Duration restore = keys.positiveDuration("timeouts.restore", Duration.ofMinutes(2));
        Duration remove = keys.positiveDuration("timeouts.remove", Duration.ofMinutes(1));
        Duration check = keys.positiveDuration("timeouts.check", Duration.ofSeconds(20));
        if (reported[0] > 0 || allocation.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ElasticIpSettings(allocation.get(), privateAddress, disassociate, restore, remove, check));
    }
}
