package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a {@link NodeIdentity} into an {@link Ec2Node}: the attributes of {@code kawari.nodes.<node>}
 * ({@code instance-id}, {@code region}, {@code eni}, {@code interface}) first; only the missing ones
 * from IMDSv2 of the instance Kawari runs on (the interface name by the primary MAC address). The region
 * is the node's {@code region}; else IMDSv2's, when IMDSv2 is read anyway (for a missing ENI or
 * interface); else {@code kawari.aws.region}: that cluster-wide default never overrides where an instance
 * says it runs. A node whose configured {@code instance-id} differs from the instance IMDSv2 describes is
 * refused: it is not the node it claims to be.
 *
 * <p>Results are cached for the life of the instance (an instance's ENI does not change); a failure
 * to reach IMDSv2 is remembered for {@link #RETRY_IMDS_AFTER}, so checks on a host without IMDS do
 * not wait for it every tick. Thread-safe.
 */
public final class Ec2Nodes {
    static final Duration RETRY_IMDS_AFTER = Duration.ofSeconds(30);

    private final InstanceMetadata metadata;
    private final InterfaceAddresses addresses;
    private final Map<Key, Ec2Node> resolved = new ConcurrentHashMap<>();
    private final Object imdsLock = new Object();
    private InstanceMetadata.Facts facts;
    private KawariException imdsFailure;
    private long imdsFailedAt;

    private record Key(NodeIdentity node, Optional<String> defaultRegion, boolean needDevice) {
    }

    /**
     * @param metadata where missing attributes come from
     * @param addresses how to find the interface with the primary MAC address
     */
    public Ec2Nodes(InstanceMetadata metadata, InterfaceAddresses addresses) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    /**
     * This node's identity.
     *
     * @param defaultRegion {@code kawari.aws.region}, used when the node has no {@code region}
     * @param needDevice whether the interface name is needed (for a local address)
     * @throws KawariException {@link AwsErrorCodes#NODE_IDENTITY_UNKNOWN} (a configuration error) naming
     *     what is missing and how to supply it
     */
    public Ec2Node resolve(NodeIdentity node, Optional<String> defaultRegion, boolean needDevice, Deadline deadline) {
        Key key = new Key(node, defaultRegion, needDevice);
        Ec2Node known = resolved.get(key);
        if (known != null) {
            return known;
        }
        Ec2Node found = discover(node, defaultRegion, needDevice, deadline);
        resolved.put(key, found);
        return found;
    }

    private Ec2Node discover(NodeIdentity node, Optional<String> defaultRegion, boolean needDevice, Deadline deadline) {
        Optional<String> instanceId = node.attribute("instance-id");
        Optional<String> region = node.attribute("region").or(() -> defaultRegion);
        Optional<String> eni = node.attribute("eni");
        Optional<String> device = node.attribute("interface");
        boolean complete = region.isPresent() && eni.isPresent() && (device.isPresent() || !needDevice);
        if (complete) {
            return new Ec2Node(node.name(), instanceId, region.get(), eni.get(), device);
        }
        InstanceMetadata.Facts imds;
        try {
            imds = facts();
        } catch (KawariException e) {
            if (e.code().equals(dev.kawari.spi.ErrorCode.ACTION_INTERRUPTED)) {
                throw e;
            }
            StringBuilder missing = new StringBuilder();
            if (eni.isEmpty()) {
                missing.append("eni");
            }
            if (region.isEmpty()) {
                missing.append(missing.isEmpty() ? "" : ", ").append("region");
            }
            if (needDevice && device.isEmpty()) {
                missing.append(missing.isEmpty() ? "" : ", ").append("interface");
            }
            throw new KawariException(AwsErrorCodes.NODE_IDENTITY_UNKNOWN, false, "the identity of node '"
                    + node.name() + "' is incomplete: " + missing + " not set in kawari.nodes." + node.name()
                    + ", and IMDSv2 could not supply it (" + e.getMessage() + "); set " + missing
                    + " there, or run on the EC2 instance with IMDSv2 reachable", e);
        }
        if (instanceId.isPresent() && !instanceId.get().equals(imds.instanceId())) {
            throw new KawariException(AwsErrorCodes.NODE_IDENTITY_UNKNOWN, false, "node '" + node.name()
                    + "' is configured as instance " + instanceId.get() + ", but IMDSv2 says this host is "
                    + imds.instanceId() + ": is --node right?");
        }
        if (eni.isPresent() && !eni.get().equals(imds.eni()) && device.isEmpty() && needDevice) {
            throw new KawariException(AwsErrorCodes.NODE_IDENTITY_UNKNOWN, false, "node '" + node.name()
                    + "' has eni " + eni.get() + " but no interface, and this host's primary ENI is " + imds.eni()
                    + ": set interface in kawari.nodes." + node.name() + " to the interface of " + eni.get());
        }
        Optional<String> foundDevice = device;
        if (needDevice && device.isEmpty()) {
            foundDevice = addresses.deviceWithMac(imds.mac(), deadline);
            if (foundDevice.isEmpty()) {
                throw new KawariException(AwsErrorCodes.NODE_IDENTITY_UNKNOWN, false, "no network interface of this"
                        + " host has the MAC address " + imds.mac() + " of " + imds.eni() + "; set interface in"
                        + " kawari.nodes." + node.name());
            }
        }
        // IMDSv2 describes this very instance: its region beats kawari.aws.region, which is only a default
        // (a DR node in another region than the cluster's default finds its own without a key).
        return new Ec2Node(node.name(), Optional.of(instanceId.orElse(imds.instanceId())),
                node.attribute("region").orElse(imds.region()), eni.orElse(imds.eni()), foundDevice);
    }

    private InstanceMetadata.Facts facts() {
        synchronized (imdsLock) {
            if (facts != null) {
                return facts;
            }
            if (imdsFailure != null && System.nanoTime() - imdsFailedAt < RETRY_IMDS_AFTER.toNanos()) {
                throw imdsFailure;
            }
            try {
                facts = metadata.read();
                imdsFailure = null;
                return facts;
            } catch (KawariException e) {
                if (!e.code().equals(dev.kawari.spi.ErrorCode.ACTION_INTERRUPTED)) {
                    imdsFailure = e;
                    imdsFailedAt = System.nanoTime();
                }
                throw e;
            }
        }
    }
}
