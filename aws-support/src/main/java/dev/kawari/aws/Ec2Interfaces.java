package dev.kawari.aws;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.ProblemReporter;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * What every EC2 kit does with the node's network interface: read it, and check at start
 * ({@code Resource.verify}) that the node's identity resolves and that its interface exists and
 * belongs to the node's instance. Also the one rule for a check that could not decide.
 */
public final class Ec2Interfaces {
    /** The IAM action behind {@link #describe}. */
    public static final String DESCRIBE_NETWORK_INTERFACES = "ec2:DescribeNetworkInterfaces";

    private Ec2Interfaces() {
    }

    /** The interface {@code eni}, or empty when it does not exist; other failures are thrown, classified. */
    public static Optional<NetworkInterface> describe(AwsOperation calls, Ec2Client ec2, String eni) {
        try {
            return calls.act(DESCRIBE_NETWORK_INTERFACES, limits -> ec2.describeNetworkInterfaces(request -> request
                    .networkInterfaceIds(eni).overrideConfiguration(limits))).networkInterfaces().stream().findFirst();
        } catch (AwsException e) {
            if (e.is("InvalidNetworkInterfaceID.NotFound") || e.is("InvalidNetworkInterfaceID.Malformed")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * This node's identity for {@code verify}: a configuration error (missing identity) is reported,
     * not thrown, so that it joins the other problems of the file.
     */
    public static Optional<Ec2Node> resolveOrReport(Supplier<Ec2Node> resolve, ProblemReporter problems) {
        try {
            return Optional.of(resolve.get());
        } catch (KawariException e) {
            if (e.type() != ErrorType.CONFIGURATION) {
                throw e;
            }
            problems.problem(null, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The node's interface for {@code verify}: reports when it does not exist or is attached to
     * another instance than the node's configured one, and returns it when it exists.
     */
    public static Optional<NetworkInterface> verifyNodeInterface(AwsOperation calls, Ec2Client ec2, Ec2Node node,
            ProblemReporter problems) {
        Optional<NetworkInterface> eni = describe(calls, ec2, node.eni());
        if (eni.isEmpty()) {
            problems.problem(null, "network interface " + node.eni() + " of node '" + node.name()
                    + "' does not exist in " + node.region());
            return eni;
        }
        node.instanceId().ifPresent(instance -> {
            String attachedTo = eni.get().attachment() == null ? null : eni.get().attachment().instanceId();
            if (attachedTo != null && !attachedTo.isBlank() && !attachedTo.equals(instance)) {
                problems.problem(null, "network interface " + node.eni() + " of node '" + node.name()
                        + "' is attached to " + attachedTo + ", not to the node's instance " + instance);
            }
        });
        return eni;
    }

    /**
     * A check that could not read what it needs says "could not tell" ({@link CheckResult#unknown}),
     * never Unhealthy, so a throttled or failing API never causes a failover; an interrupt is passed on.
     */
    public static CheckResult unknownUnlessInterrupted(KawariException e, String prefix) {
        if (e.code().equals(ErrorCode.ACTION_INTERRUPTED)) {
            throw e;
        }
        return CheckResult.unknown(prefix + e.code().name() + ": " + e.getMessage());
    }
}
