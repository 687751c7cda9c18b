package dev.kawari.kit.route53;

import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * The addresses nodes publish, read from EC2 and remembered: a network interface's primary private
 * address and an Elastic IP allocation's address never change, so they are read once per process; an
 * interface's public address can (an Elastic IP associated later), so checks reuse it for at most
 * {@link #PUBLIC_FRESHNESS} and actions read it afresh. Concurrent callers that need the same unknown
 * address make one call. Thread-safe; owned by the resource type.
 */
final class PublishedAddresses {
    static final Duration PUBLIC_FRESHNESS = Duration.ofMinutes(1);
    static final String DESCRIBE_NETWORK_INTERFACES = Ec2Interfaces.DESCRIBE_NETWORK_INTERFACES;
    static final String DESCRIBE_ADDRESSES = "ec2:DescribeAddresses";

    private record Key(AwsSettings settings, String region, NodeAddress what, String eni) {
    }

    private record Known(Ipv4Address address, long readAt) {
    }

    private final TimeSource time;
    private final Map<Key, Known> known = new ConcurrentHashMap<>();
    private final Map<Key, ReentrantLock> reading = new ConcurrentHashMap<>();

    PublishedAddresses(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * The address {@code node} publishes, read afresh where it can change (restore, remove, verify), with
     * retries within the operation's deadline.
     *
     * @throws KawariException a configuration error when the interface or allocation does not exist or
     *     the interface has no public address; a classified AWS failure otherwise
     */
    Ipv4Address forAction(NodeAddress what, Ec2Node node, AwsSettings settings, AwsClients.Lease clients,
            AwsOperation calls) {
        if (what instanceof NodeAddress.Literal literal) {
            return literal.address();
        }
        Key key = new Key(settings, node.region(), what, what instanceof NodeAddress.ElasticIp ? "" : node.eni());
        if (what instanceof NodeAddress.PublicIp) {
            Ipv4Address address = read(what, node, clients.ec2(node.region()), calls, false);
            known.put(key, new Known(address, time.nanoTime()));
            return address;
        }
        // One reader per address (many records restored at once need one call); the others find it known.
        return alone(key, calls, calls.context().deadline().remaining(), () -> {
            Known cached = known.get(key);
            if (cached != null) {
                return cached.address();
            }
            Ipv4Address address = read(what, node, clients.ec2(node.region()), calls, false);
            known.put(key, new Known(address, time.nanoTime()));
            return address;
        });
    }

    /** As {@link #forAction}, for a check: a remembered address when fresh enough, else one attempt. */
    Ipv4Address forCheck(NodeAddress what, Ec2Node node, AwsSettings settings, AwsClients.Lease clients,
            AwsOperation calls) {
        if (what instanceof NodeAddress.Literal literal) {
            return literal.address();
        }
        Key key = new Key(settings, node.region(), what, what instanceof NodeAddress.ElasticIp ? "" : node.eni());
        Known cached = known.get(key);
        if (fresh(what, cached)) {
            return cached.address();
        }
        // One reader per address; the others wait for it (within their own time), then find it known.
        return alone(key, calls, calls.askTimeout(), () -> {
            Known again = known.get(key);
            if (fresh(what, again)) {
                return again.address();
            }
            Ipv4Address address = read(what, node, clients.ec2(node.region()), calls, true);
            known.put(key, new Known(address, time.nanoTime()));
            return address;
        });
    }

    /** Runs {@code work} while no other caller reads the same address; waits at most {@code atMost}, interruptibly. */
    private Ipv4Address alone(Key key, AwsOperation calls, Duration atMost, Supplier<Ipv4Address> work) {
        ReentrantLock lock = reading.computeIfAbsent(key, unused -> new ReentrantLock());
        try {
            if (!lock.tryLock(Math.max(1, atMost.toNanos()), TimeUnit.NANOSECONDS)) {
                throw KawariException.timedOut("another action of this node was still reading " + key.what().describe()
                        + " when the deadline of " + calls.context().deadline().budget() + " ran out");
            }
        } catch (InterruptedException e) {
            throw KawariException.interrupted("interrupted while waiting to read " + key.what().describe(), e);
        }
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(NodeAddress what, Known cached) {
        if (cached == null) {
            return false;
        }
        return !(what instanceof NodeAddress.PublicIp)
                || time.nanoTime() - cached.readAt() < PUBLIC_FRESHNESS.toNanos();
    }

    private static Ipv4Address read(NodeAddress what, Ec2Node node, Ec2Client ec2, AwsOperation calls, boolean once) {
        if (what instanceof NodeAddress.Literal literal) {
            return literal.address();
        }
        if (what instanceof NodeAddress.PrivateIp) {
            return parsed(describeInterface(node, ec2, calls, once).privateIpAddress(),
                    "the private address of " + node.eni());
        }
        if (what instanceof NodeAddress.PublicIp) {
            NetworkInterface eni = describeInterface(node, ec2, calls, once);
            String address = eni.association() == null ? null : eni.association().publicIp();
            if (address == null || address.isBlank()) {
                throw new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "node '" + node.name()
                        + "' publishes the public address of its network interface " + node.eni() + ", which has"
                        + " none: give the interface a public address or an Elastic IP, or publish private-ip");
            }
            return parsed(address, "the public address of " + node.eni());
        }
        NodeAddress.ElasticIp elasticIp = (NodeAddress.ElasticIp) what;
        Optional<Address> address;
        try {
            address = call(calls, once, DESCRIBE_ADDRESSES, limits -> ec2.describeAddresses(request -> request
                    .allocationIds(elasticIp.allocationId()).overrideConfiguration(limits))).addresses()
                    .stream().filter(found -> elasticIp.allocationId().equals(found.allocationId())).findFirst();
        } catch (AwsException e) {
            if (!e.is("InvalidAllocationID.NotFound")) {
                throw e;
            }
            address = Optional.empty();
        }
        return parsed(address.map(Address::publicIp).orElseThrow(() -> new KawariException(
                ErrorCode.INVALID_CONFIGURATION, false, "node '" + node.name() + "' publishes Elastic IP "
                        + elasticIp.allocationId() + ", which does not exist in " + node.region())),
                "the address of " + elasticIp.allocationId());
    }

    private static NetworkInterface describeInterface(Ec2Node node, Ec2Client ec2, AwsOperation calls, boolean once) {
        if (!once) {
            return Ec2Interfaces.describe(calls, ec2, node.eni()).orElseThrow(() -> missing(node));
        }
        try {
            return call(calls, once, DESCRIBE_NETWORK_INTERFACES, limits -> ec2.describeNetworkInterfaces(request ->
                    request.networkInterfaceIds(node.eni()).overrideConfiguration(limits))).networkInterfaces()
                    .stream().findFirst().orElseThrow(() -> missing(node));
        } catch (AwsException e) {
            if (e.is("InvalidNetworkInterfaceID.NotFound") || e.is("InvalidNetworkInterfaceID.Malformed")) {
                throw missing(node);
            }
            throw e;
        }
    }

    private static KawariException missing(Ec2Node node) {
        return new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "network interface " + node.eni()
                + " of node '" + node.name() + "' does not exist in " + node.region() + " (if the node runs in another"
                + " region, set region in kawari.nodes." + node.name() + ", or leave eni out for IMDSv2 to tell)");
    }

    private static <T> T call(AwsOperation calls, boolean once, String action, dev.kawari.aws.AwsCall<T> call) {
        return once ? calls.ask(action, call) : calls.act(action, call);
    }

    private static Ipv4Address parsed(String text, String what) {
        return Optional.ofNullable(text).flatMap(Ipv4Address::parse).orElseThrow(() -> new KawariException(
                ErrorCode.KIT_FAILURE, false, "EC2 gave " + what + " as '" + text + "', which is not an IPv4 address"));
    }
}
