package dev.kawari.kit.secondaryip;

import static dev.kawari.kit.secondaryip.SecondaryIpResourceType.ASSIGN_PRIVATE_IP_ADDRESSES;
import static dev.kawari.kit.secondaryip.SecondaryIpResourceType.DESCRIBE_NETWORK_INTERFACES;
import static dev.kawari.kit.secondaryip.SecondaryIpResourceType.UNASSIGN_PRIVATE_IP_ADDRESSES;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.Ec2Subnet;
import dev.kawari.aws.NodePlacements;
import dev.kawari.aws.ReadBack;
import dev.kawari.aws.SameZoneRule;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;

/**
 * A secondary private IP of the nodes' subnet, assigned to this node's network interface.
 *
 * <ul>
 *   <li>restore and recover: read this node's interface; unless it already has the address, {@code
 *       AssignPrivateIpAddresses} with {@code AllowReassignment} (which takes the address from the
 *       interface that has it), then read the interface back, with growing pauses within the
 *       deadline, until AWS shows the address there (AWS moves it asynchronously); then add {@code
 *       address/32} to the node's operating-system interface (with {@code local-address}).
 *   <li>remove: delete the local address; with {@code unassign-on-remove}, unassign the address from
 *       this node's interface if it is still there (an address that has moved on is left alone).
 *   <li>check: one {@code DescribeNetworkInterfaces} of this node's interface per tick, shared by
 *       every secondary IP of the node; Healthy when AWS shows the address on this node's interface
 *       and the address is local. An API that cannot answer is Unknown, never Unhealthy.
 *   <li>verify: every node's interface is in one subnet, the address lies in that subnet, is not one
 *       AWS reserves, and belongs to no interface outside the cluster.
 * </ul>
 *
 * <p>AWS moves a reassigned address: afterwards only the new interface shows it. The emulator copies
 * it instead (both interfaces show it); nothing here depends on the old interface losing it.
 */
final class SecondaryIpResource implements Resource {
    private final String label;
    private final SecondaryIpSettings settings;
    private final AwsSettings aws;
    private final Map<String, NodeIdentity> cluster;
    private final SecondaryIpResourceType type;
    private final AwsClients.Lease clients;

    SecondaryIpResource(String label, SecondaryIpSettings settings, AwsSettings aws, Map<String, NodeIdentity> cluster,
            SecondaryIpResourceType type) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.cluster = Map.copyOf(cluster);
        this.type = Objects.requireNonNull(type, "type");
        this.clients = AwsClients.lease(aws);
    }

    SecondaryIpSettings settings() {
        return settings;
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        assignHere(context, "restore");
    }

    /** Fixes only what is wrong: restore leaves an assignment that is already right alone. */
    @Override
    public void recover(OperationContext context) throws InterruptedException {
        assignHere(context, "recover");
    }

    private void assignHere(OperationContext context, String what) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            Ec2Client ec2 = clients.ec2(node.region());
            SecondaryIpResourceType.InterfaceKey key = key(node);
            NetworkInterface before = read(calls, ec2, node);
            boolean assigned = false;
            if (!holds(before)) {
                calls.act(ASSIGN_PRIVATE_IP_ADDRESSES, limits -> ec2.assignPrivateIpAddresses(request -> request
                        .networkInterfaceId(node.eni())
                        .privateIpAddresses(settings.address().toString())
                        .allowReassignment(true)
                        .overrideConfiguration(limits)));
                type.interfaces().forget(key);
                NetworkInterface after = ReadBack.until(context, () -> read(calls, ec2, node), this::holds,
                        last -> ASSIGN_PRIVATE_IP_ADDRESSES + " of " + settings.address() + " to " + node.eni()
                                + " succeeded, but " + node.eni() + " still shows only " + addresses(last));
                type.interfaces().offer(key, Optional.of(after));
                assigned = true;
            }
            if (settings.localAddress()) {
                type.addresses().add(node.device().orElseThrow(), settings.address(), context.deadline());
            }
            context.events().note(what + ": " + settings.address() + (assigned ? " assigned to " : " was already on ")
                    + node.describe() + (settings.localAddress() ? " and is on " + node.device().orElseThrow() : ""),
                    Map.of("address", settings.address().toString(), "eni", node.eni(), "assigned",
                            String.valueOf(assigned)));
        } finally {
            calls.noteCalls(what);
        }
    }

    @Override
    public void remove(OperationContext context) throws InterruptedException {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            if (settings.localAddress()) {
                type.addresses().delete(node.device().orElseThrow(), settings.address(), context.deadline());
            }
            if (!settings.unassignOnRemove()) {
                return;
            }
            Ec2Client ec2 = clients.ec2(node.region());
            if (!holds(read(calls, ec2, node))) {
                return; // never here, or already moved on: not ours to undo
            }
            try {
                calls.act(UNASSIGN_PRIVATE_IP_ADDRESSES, limits -> ec2.unassignPrivateIpAddresses(request -> request
                        .networkInterfaceId(node.eni()).privateIpAddresses(settings.address().toString())
                        .overrideConfiguration(limits)));
            } catch (AwsException e) {
                // Another node may have taken the address since the read: then the goal is reached.
                if (e.type() != ErrorType.CONFIGURATION || holds(read(calls, ec2, node))) {
                    throw e;
                }
            }
            type.interfaces().forget(key(node));
            context.events().note("remove: unassigned " + settings.address() + " from " + node.describe(),
                    Map.of("address", settings.address().toString(), "eni", node.eni()));
        } finally {
            calls.noteCalls("remove");
        }
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node;
            try {
                node = node(context);
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "cannot tell who this node is: ");
            }
            Ec2Client ec2 = clients.ec2(node.region());
            Optional<NetworkInterface> eni;
            try {
                eni = type.interfaces().get(key(node), calls, DESCRIBE_NETWORK_INTERFACES,
                        limits -> describeCall(ec2, node.eni(), limits));
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read this node's network interface: ");
            }
            if (eni.isEmpty()) {
                return CheckResult.unhealthy("network interface " + node.eni() + " of node '" + node.name()
                        + "' does not exist");
            }
            if (!holds(eni.get())) {
                return CheckResult.unhealthy(settings.address() + " is not assigned to " + node.describe()
                        + " (it has " + addresses(eni.get()) + ")");
            }
            if (settings.localAddress()) {
                String device = node.device().orElseThrow();
                boolean local;
                try {
                    local = type.addresses().has(device, settings.address(), context.deadline());
                } catch (KawariException e) {
                    return Ec2Interfaces.unknownUnlessInterrupted(e, "could not list the addresses of " + device + ": ");
                }
                if (!local) {
                    return CheckResult.unhealthy(settings.address() + " is assigned to " + node.eni()
                            + " but is not on " + device);
                }
            }
            return CheckResult.healthy();
        } finally {
            ApiCallCounter.process().noteIfDue(ApiCallCounter.REPORT_EVERY, context.time(), context.events());
        }
    }

    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Optional<Ec2Node> resolved = Ec2Interfaces.resolveOrReport(() -> node(context), problems);
            if (resolved.isEmpty()) {
                return;
            }
            Ec2Node node = resolved.get();
            Ec2Client ec2 = clients.ec2(node.region());
            NodePlacements.Survey survey = NodePlacements.survey(calls, ec2, nodesWith(node), node, false);
            survey.problems().values().forEach(message -> problems.problem(null, message));
            NodePlacements.Placement here = survey.placed().get(node.name());
            if (here == null) {
                return;
            }
            Map<String, Ec2Subnet> subnets = Ec2Subnet.describe(calls, ec2, survey.subnetIds());
            Ec2Subnet subnet = subnets.get(here.subnetId());
            if (subnet == null) {
                problems.problem(null, "subnet " + here.subnetId() + " of node '" + node.name() + "''s network"
                        + " interface " + node.eni() + " was not found");
                return;
            }
            String subject = "secondary IP " + settings.address();
            boolean usable = true;
            if (!subnet.cidr().contains(settings.address())) {
                problems.problem("address", "address " + settings.address() + " is not in subnet " + subnet.describe()
                        + " of node '" + node.name() + "''s network interface " + node.eni() + ": a secondary private"
                        + " IP must be a free address of the nodes' subnet (for an address outside the VPC, use"
                        + " ec2-route-table)");
                usable = false;
            } else {
                Optional<String> reserved = subnet.reservation(settings.address());
                if (reserved.isPresent()) {
                    problems.problem("address", "address " + settings.address() + " is " + reserved.get()
                            + ": choose a free address of " + subnet.describe());
                    usable = false;
                }
            }
            SameZoneRule.oneSubnet(subject, subnet, survey.placed().values(), subnets)
                    .ifPresent(message -> problems.problem("address", message));
            if (usable) {
                Set<String> nodeInterfaces = survey.placed().values().stream().map(NodePlacements.Placement::eni)
                        .collect(Collectors.toSet());
                for (NetworkInterface holder : holders(calls, ec2, subnet.id())) {
                    String owner = holder.networkInterfaceId() + NodePlacements.attachedInstance(holder)
                            .map(instance -> " of " + instance).orElse(" (not attached)");
                    if (settings.address().toString().equals(holder.privateIpAddress())) {
                        problems.problem("address", "address " + settings.address() + " is the primary private"
                                + " address of " + owner + ", which cannot move: choose a free address of "
                                + subnet.describe());
                    } else if (!nodeInterfaces.contains(holder.networkInterfaceId())) {
                        problems.problem("address", "address " + settings.address() + " is assigned to " + owner
                                + ", which is not a node of this cluster: restore would take it away from it"
                                + " (AllowReassignment); choose a free address of " + subnet.describe());
                    }
                }
            }
        } finally {
            calls.noteCalls("verify");
        }
    }

    /** The cluster's nodes, with this node as it was resolved. */
    private Map<String, NodeIdentity> nodesWith(Ec2Node node) {
        Map<String, NodeIdentity> nodes = new java.util.LinkedHashMap<>(cluster);
        nodes.putIfAbsent(node.name(), NodeIdentity.named(node.name()));
        return nodes;
    }

    /** The interfaces of {@code subnet} that have the address, primary or secondary. */
    private List<NetworkInterface> holders(AwsOperation calls, Ec2Client ec2, String subnet) {
        List<NetworkInterface> found = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            // Matched here rather than with addresses.private-ip-address, which the emulator ignores.
            var response = calls.act(DESCRIBE_NETWORK_INTERFACES, limits -> ec2.describeNetworkInterfaces(request ->
                    request.filters(Filter.builder().name("subnet-id").values(subnet).build()).nextToken(page)
                            .overrideConfiguration(limits)));
            response.networkInterfaces().stream().filter(this::holds).forEach(found::add);
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return found;
    }

    private Ec2Node node(OperationContext context) {
        return type.nodes().resolve(context.node(), aws.region(), settings.localAddress(), context.deadline());
    }

    private SecondaryIpResourceType.InterfaceKey key(Ec2Node node) {
        return new SecondaryIpResourceType.InterfaceKey(aws, node.region(), node.eni());
    }

    /** This node's interface, fresh; one that does not exist is a configuration error. */
    private NetworkInterface read(AwsOperation calls, Ec2Client ec2, Ec2Node node) {
        return Ec2Interfaces.describe(calls, ec2, node.eni())
                .orElseThrow(() -> new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "network interface "
                        + node.eni() + " of node '" + node.name() + "' does not exist in " + node.region()));
    }

    /** {@code eni} by an id filter, so that an interface that does not exist is an empty answer, not an error. */
    private static Optional<NetworkInterface> describeCall(Ec2Client ec2, String eni,
            Consumer<AwsRequestOverrideConfiguration.Builder> limits) {
        return ec2.describeNetworkInterfaces(request -> request
                .filters(Filter.builder().name("network-interface-id").values(eni).build())
                .overrideConfiguration(limits)).networkInterfaces().stream()
                .filter(found -> eni.equals(found.networkInterfaceId())).findFirst();
    }

    /** Whether AWS shows the address on {@code eni} (compared whole, never as a substring). */
    private boolean holds(NetworkInterface eni) {
        String wanted = settings.address().toString();
        return eni.privateIpAddresses().stream().map(NetworkInterfacePrivateIpAddress::privateIpAddress)
                .anyMatch(wanted::equals) || wanted.equals(eni.privateIpAddress());
    }

    private static List<String> addresses(NetworkInterface eni) {
        return eni.privateIpAddresses().stream().map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList();
    }

    @Override
    public Duration timeout(Action action) {
        return switch (action) {
            case RESTORE, RECOVER -> settings.restoreTimeout();
            case REMOVE -> settings.removeTimeout();
            case CHECK -> settings.checkTimeout();
        };
    }

    @Override
    public void close() {
        clients.close();
    }

    @Override
    public String toString() {
        return "secondary-ip " + label + " (" + settings.address() + ")";
    }
}
