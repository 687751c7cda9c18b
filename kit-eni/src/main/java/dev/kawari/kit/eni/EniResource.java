package dev.kawari.kit.eni;

import static dev.kawari.kit.eni.EniResourceType.ATTACH_NETWORK_INTERFACE;
import static dev.kawari.kit.eni.EniResourceType.DESCRIBE_NETWORK_INTERFACES;
import static dev.kawari.kit.eni.EniResourceType.DETACH_NETWORK_INTERFACE;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.Ec2Subnet;
import dev.kawari.aws.Ipv4Address;
import dev.kawari.aws.NodePlacements;
import dev.kawari.aws.ReadBack;
import dev.kawari.aws.SameZoneRule;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttachmentStatus;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceStatus;

/**
 * A dedicated network interface attached to this node's instance and up in its operating system.
 *
 * <ul>
 *   <li>restore and recover: read the ENI; if it is attached to another instance, detach it ({@code
 *       Force} with {@code force-detach}) and wait until it is {@code available}; attach it to this
 *       instance at {@code device-index} and wait until the attachment is {@code attached}; then wait
 *       for its interface to appear in the operating system (found by the ENI's MAC address) and bring
 *       it up ({@link EniInterface}). An ENI already attached here is only brought up.
 *   <li>remove: take the interface down in the operating system; with {@code detach-on-remove}, detach
 *       the ENI if it is still attached here and wait until it no longer is.
 *   <li>check: one {@code DescribeNetworkInterfaces} per region per tick for every ENI of the node;
 *       Healthy when the attachment belongs to this node's instance and is {@code attached}, and the
 *       interface is up with the ENI's address. An API that cannot answer is Unknown, never Unhealthy.
 *   <li>verify: the ENI exists and is no node's primary interface; every node's instance is in the
 *       ENI's availability zone and VPC; {@code device-index} is free on every node's instance.
 * </ul>
 */
final class EniResource implements Resource {
    private final String label;
    private final EniSettings settings;
    private final AwsSettings aws;
    private final Map<String, NodeIdentity> cluster;
    private final EniResourceType type;
    private final EniInterface system;
    private final AwsClients.Lease clients;
    private final AtomicBoolean closed = new AtomicBoolean();

    EniResource(String label, EniSettings settings, AwsSettings aws, Map<String, NodeIdentity> cluster,
            EniResourceType type) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.cluster = Map.copyOf(cluster);
        this.type = Objects.requireNonNull(type, "type");
        this.system = new EniInterface(settings, type.host());
        this.clients = AwsClients.lease(aws);
        type.use(aws, settings.eniId());
    }

    EniSettings settings() {
        return settings;
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        attachHere(context, "restore");
    }

    /** Fixes only what is wrong: an ENI already attached here is not detached, only brought up again. */
    @Override
    public void recover(OperationContext context) throws InterruptedException {
        attachHere(context, "recover");
    }

    private void attachHere(OperationContext context, String what) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            String instance = instance(node);
            Ec2Client ec2 = clients.ec2(node.region());
            NetworkInterface eni = read(calls, ec2);
            Optional<String> previous = Optional.empty();
            boolean here = attachedTo(eni).filter(instance::equals).isPresent()
                    && eni.attachment().status() != AttachmentStatus.DETACHING;
            if (!here) {
                previous = attachedTo(eni);
                if (previous.isPresent()) {
                    detach(calls, ec2, eni, settings.forceDetach());
                }
                if (!isAvailable(eni) || previous.isPresent()) {
                    eni = ReadBack.until(context, () -> read(calls, ec2), EniResource::isAvailable,
                            last -> settings.eniId() + " is still " + state(last) + ", not available");
                }
                calls.act(ATTACH_NETWORK_INTERFACE, limits -> ec2.attachNetworkInterface(request -> request
                        .networkInterfaceId(settings.eniId()).instanceId(instance).deviceIndex(settings.deviceIndex())
                        .overrideConfiguration(limits)));
                type.interfaces().forget(key(node));
            }
            if (!isAttachedTo(eni, instance)) {
                eni = ReadBack.until(context, () -> read(calls, ec2), found -> isAttachedTo(found, instance),
                        last -> ATTACH_NETWORK_INTERFACE + " of " + settings.eniId() + " to " + instance
                                + " succeeded, but it is still " + state(last));
            }
            EniInterface.Addressing addressing = addressing(calls, ec2, eni);
            String device = system.awaitDevice(context, addressing.mac());
            system.bringUp(context, device, addressing);
            String moved = previous.map(from -> " (detached from " + from + (settings.forceDetach() ? " with force" : "")
                    + ")").orElse("");
            context.events().note(what + ": " + settings.eniId() + " is attached to " + node.name() + " (" + instance
                    + ") at device index " + eni.attachment().deviceIndex() + moved + " and " + device + " is up with "
                    + addressing.address(), Map.of("eni", settings.eniId(), "instance", instance, "device", device,
                            "previous", previous.orElse("")));
        } finally {
            calls.noteCalls(what);
        }
    }

    private void detach(AwsOperation calls, Ec2Client ec2, NetworkInterface eni, boolean force) {
        if (eni.attachment().status() == AttachmentStatus.DETACHING && !force) {
            return; // on its way already
        }
        try {
            calls.act(DETACH_NETWORK_INTERFACE, limits -> ec2.detachNetworkInterface(request -> request
                    .attachmentId(eni.attachment().attachmentId()).force(force).overrideConfiguration(limits)));
        } catch (AwsException e) {
            if (!e.is("InvalidAttachmentID.NotFound")) {
                throw e;
            }
            // detached meanwhile: the goal is reached
        }
    }

    @Override
    public void remove(OperationContext context) throws InterruptedException {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            Ec2Client ec2 = clients.ec2(node.region());
            NetworkInterface eni = read(calls, ec2);
            Optional<String> device = system.device(mac(eni), context.deadline());
            if (device.isPresent()) {
                system.takeDown(context, device.get(), addressing(calls, ec2, eni));
            }
            Optional<String> instance = node.instanceId();
            if (!settings.detachOnRemove() || instance.isEmpty() || !attachedTo(eni).equals(instance)) {
                return; // stays attached for the next holder to take, or has already moved on
            }
            detach(calls, ec2, eni, false);
            type.interfaces().forget(key(node));
            ReadBack.until(context, () -> read(calls, ec2), found -> !attachedTo(found).equals(instance),
                    last -> DETACH_NETWORK_INTERFACE + " of " + settings.eniId() + " succeeded, but it is still "
                            + state(last));
            context.events().note("remove: detached " + settings.eniId() + " from " + node.name() + " ("
                    + instance.get() + ")", Map.of("eni", settings.eniId(), "instance", instance.get()));
        } finally {
            calls.noteCalls("remove");
        }
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node;
            String instance;
            try {
                node = node(context);
                instance = instance(node);
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "cannot tell who this node is: ");
            }
            Ec2Client ec2 = clients.ec2(node.region());
            EniResourceType.RegionKey key = key(node);
            EniResourceType.Interfaces answer;
            try {
                answer = sharedRead(ec2, calls, key);
                if (!answer.asked().contains(settings.eniId())) {
                    type.interfaces().forget(key); // a resource created after that describe started
                    answer = sharedRead(ec2, calls, key);
                }
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read the network interfaces: ");
            }
            NetworkInterface eni = answer.found().get(settings.eniId());
            if (eni == null) {
                return CheckResult.unhealthy("network interface " + settings.eniId() + " does not exist in "
                        + node.region());
            }
            if (!isAttachedTo(eni, instance)) {
                return CheckResult.unhealthy(settings.eniId() + " is " + state(eni) + "; it must be attached to "
                        + node.name() + " (" + instance + ")");
            }
            try {
                Ipv4Address address = address(eni);
                Optional<String> device = system.device(mac(eni), context.deadline());
                if (device.isEmpty()) {
                    return CheckResult.unhealthy(settings.eniId() + " is attached to " + instance + " but no interface"
                            + " of this host has its MAC address " + mac(eni));
                }
                Optional<String> why = system.whyNotUp(device.get(), address, context.deadline());
                if (why.isPresent()) {
                    return CheckResult.unhealthy(settings.eniId() + " is attached to " + instance + " but " + why.get());
                }
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read this host's interfaces: ");
            }
            return CheckResult.healthy();
        } finally {
            ApiCallCounter.process().noteIfDue(ApiCallCounter.REPORT_EVERY, context.time(), context.events());
        }
    }

    private EniResourceType.Interfaces sharedRead(Ec2Client ec2, AwsOperation calls, EniResourceType.RegionKey key) {
        return type.interfaces().get(key, calls, DESCRIBE_NETWORK_INTERFACES, limits -> {
            Set<String> asked = type.inUse(aws);
            asked.add(settings.eniId());
            Map<String, NetworkInterface> found = new HashMap<>();
            // A filter, unlike NetworkInterfaceIds, does not fail the whole call when one id does not exist.
            ec2.describeNetworkInterfaces(request -> request
                    .filters(Filter.builder().name("network-interface-id").values(asked).build())
                    .overrideConfiguration(limits)).networkInterfaces()
                    .forEach(eni -> found.put(eni.networkInterfaceId(), eni));
            return new EniResourceType.Interfaces(asked, found);
        });
    }

    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Optional<Ec2Node> resolved = Ec2Interfaces.resolveOrReport(() -> {
                Ec2Node found = node(context);
                instance(found);
                return found;
            }, problems);
            if (resolved.isEmpty()) {
                return;
            }
            Ec2Node node = resolved.get();
            Ec2Client ec2 = clients.ec2(node.region());
            Optional<NetworkInterface> eni = find(calls, ec2);
            if (eni.isEmpty()) {
                problems.problem("eni-id", "unknown network interface " + settings.eniId() + ": it does not exist in "
                        + node.region() + " for this account");
                return;
            }
            Map<String, NodeIdentity> nodes = new LinkedHashMap<>(cluster);
            nodes.putIfAbsent(node.name(), NodeIdentity.named(node.name()));
            NodePlacements.Survey survey = NodePlacements.survey(calls, ec2, nodes, node, true);
            survey.problems().values().forEach(message -> problems.problem(null, message));
            List<String> subnetIds = new ArrayList<>(List.of(eni.get().subnetId()));
            subnetIds.addAll(survey.subnetIds());
            Map<String, Ec2Subnet> subnets = Ec2Subnet.describe(calls, ec2, subnetIds);
            Ec2Subnet subnet = subnets.get(eni.get().subnetId());
            if (subnet == null) {
                problems.problem("eni-id", "subnet " + eni.get().subnetId() + " of " + settings.eniId()
                        + " was not found");
                return;
            }
            for (NodePlacements.Placement placement : survey.placed().values()) {
                if (placement.eni().equals(settings.eniId())) {
                    problems.problem("eni-id", settings.eniId() + " is the primary network interface of node '"
                            + placement.node() + "': a dedicated ENI must be an interface of its own, not a node's");
                }
                String taken = placement.interfacesByDeviceIndex().get(settings.deviceIndex());
                if (taken != null && !taken.equals(settings.eniId())) {
                    problems.problem("device-index", "device index " + settings.deviceIndex() + " of node '"
                            + placement.node() + "''s instance " + placement.instanceId().orElse("?") + " is taken by "
                            + taken + ": choose a device index that is free on every node");
                }
            }
            SameZoneRule.oneZone("dedicated ENI " + settings.eniId(), subnet, survey.placed().values(), subnets)
                    .ifPresent(message -> problems.problem("eni-id", message));
        } finally {
            calls.noteCalls("verify");
        }
    }

    private Ec2Node node(OperationContext context) {
        return type.nodes().resolve(context.node(), aws.region(), false, context.deadline());
    }

    /** This node's instance, which the ENI is attached to; a node without one is a configuration error. */
    private static String instance(Ec2Node node) {
        return node.instanceId().orElseThrow(() -> new KawariException(ErrorCode.INVALID_CONFIGURATION, false,
                "node '" + node.name() + "' has no instance-id, which attaching an ENI needs: set instance-id in"
                        + " kawari.nodes." + node.name() + " (or leave eni out too, so that IMDSv2 tells both)"));
    }

    private EniResourceType.RegionKey key(Ec2Node node) {
        return new EniResourceType.RegionKey(aws, node.region());
    }

    /** The ENI, fresh; one that does not exist is a configuration error. */
    private NetworkInterface read(AwsOperation calls, Ec2Client ec2) {
        return find(calls, ec2).orElseThrow(() -> new KawariException(ErrorCode.INVALID_CONFIGURATION, false,
                "unknown network interface " + settings.eniId() + " (kawari validate --live names the cause)"));
    }

    private Optional<NetworkInterface> find(AwsOperation calls, Ec2Client ec2) {
        return Ec2Interfaces.describe(calls, ec2, settings.eniId());
    }

    /** What the operating system's configuration needs: the MAC, the address, and the subnet (read once). */
    private EniInterface.Addressing addressing(AwsOperation calls, Ec2Client ec2, NetworkInterface eni) {
        Ec2Subnet subnet = type.subnets().computeIfAbsent(eni.subnetId(), id -> Ec2Subnet.describe(calls, ec2,
                List.of(id)).get(id));
        if (subnet == null) {
            throw new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "subnet " + eni.subnetId() + " of "
                    + settings.eniId() + " was not found");
        }
        return new EniInterface.Addressing(mac(eni), address(eni), subnet.cidr());
    }

    private Ipv4Address address(NetworkInterface eni) {
        return Ipv4Address.parse(String.valueOf(eni.privateIpAddress())).orElseThrow(() -> new KawariException(
                dev.kawari.aws.AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE, true, settings.eniId() + " has no private IPv4"
                        + " address in EC2's answer"));
    }

    private static String mac(NetworkInterface eni) {
        return String.valueOf(eni.macAddress()).toLowerCase(java.util.Locale.ROOT);
    }

    /** The instance the ENI is attached (or attaching, or detaching) to; a blank id counts as none. */
    private static Optional<String> attachedTo(NetworkInterface eni) {
        if (eni.attachment() == null || eni.attachment().status() == AttachmentStatus.DETACHED) {
            return Optional.empty();
        }
        return NodePlacements.attachedInstance(eni);
    }

    private static boolean isAttachedTo(NetworkInterface eni, String instance) {
        return attachedTo(eni).filter(instance::equals).isPresent()
                && eni.attachment().status() == AttachmentStatus.ATTACHED;
    }

    private static boolean isAvailable(NetworkInterface eni) {
        return eni.status() == NetworkInterfaceStatus.AVAILABLE && attachedTo(eni).isEmpty();
    }

    /** {@code attached to i-0abc (attaching)}, {@code available}, for messages. */
    private static String state(NetworkInterface eni) {
        return attachedTo(eni).map(instance -> "attached to " + instance + " (" + eni.attachment().statusAsString()
                + ")").orElse(String.valueOf(eni.statusAsString()));
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
        if (closed.compareAndSet(false, true)) {
            type.release(aws, settings.eniId());
            clients.close();
        }
    }

    @Override
    public String toString() {
        return "eni " + label + " (" + settings.eniId() + " at device index " + settings.deviceIndex() + ")";
    }
}
