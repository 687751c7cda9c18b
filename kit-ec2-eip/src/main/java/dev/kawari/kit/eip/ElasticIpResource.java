package dev.kawari.kit.eip;

import static dev.kawari.kit.eip.ElasticIpResourceType.ASSOCIATE_ADDRESS;
import static dev.kawari.kit.eip.ElasticIpResourceType.DESCRIBE_ADDRESSES;
import static dev.kawari.kit.eip.ElasticIpResourceType.DESCRIBE_NETWORK_INTERFACES;
import static dev.kawari.kit.eip.ElasticIpResourceType.DISASSOCIATE_ADDRESS;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.ReadBack;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;

/**
 * An Elastic IP associated with this node's network interface.
 *
 * <ul>
 *   <li>restore: reads the address; unless it is already associated here, {@code AssociateAddress}
 *       with {@code AllowReassociation} sent explicitly (and the private address when configured);
 *       then reads it back until the association shows, within the deadline.
 *   <li>remove: with {@code disassociate-on-remove}, disassociates the address only if it is still
 *       associated with this node's interface; an address that has moved on is left alone, and one
 *       whose association vanished meanwhile is success.
 *   <li>check: one {@code DescribeAddresses} per region per tick for every Elastic IP of the node;
 *       Healthy when the association's interface is exactly this node's (and the private address,
 *       when configured). Ids are compared whole, never as substrings; a blank id counts as none.
 * </ul>
 */
final class ElasticIpResource implements Resource {
    private final String label;
    private final ElasticIpSettings settings;
    private final AwsSettings aws;
    private final ElasticIpResourceType type;
    private final AwsClients.Lease clients;
    private final AtomicBoolean closed = new AtomicBoolean();

    ElasticIpResource(String label, ElasticIpSettings settings, AwsSettings aws, ElasticIpResourceType type) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.type = Objects.requireNonNull(type, "type");
        this.clients = AwsClients.lease(aws);
        type.use(aws, settings.allocationId());
    }

    ElasticIpSettings settings() {
        return settings;
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        associateHere(context, "restore");
    }

    @Override
    public void recover(OperationContext context) throws InterruptedException {
        associateHere(context, "recover");
    }

    private void associateHere(OperationContext context, String what) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            Ec2Client ec2 = clients.ec2(node.region());
            Address before = read(calls, ec2);
            if (isHere(before, node)) {
                context.events().note(what + ": " + describe(before) + " is already associated with " + node.eni(),
                        Map.of("allocation-id", settings.allocationId(), "eni", node.eni()));
                return;
            }
            calls.act(ASSOCIATE_ADDRESS, limits -> ec2.associateAddress(request -> {
                request.allocationId(settings.allocationId())
                        .networkInterfaceId(node.eni())
                        .allowReassociation(true)
                        .overrideConfiguration(limits);
                settings.privateAddress().ifPresent(address -> request.privateIpAddress(address.toString()));
            }));
            type.addresses().forget(new ElasticIpResourceType.RegionKey(aws, node.region()));
            Address after = readBackUntilHere(calls, ec2, node, context);
            context.events().note(what + ": associated " + describe(after) + " with " + node.eni()
                    + owner(before).map(previous -> " (it was associated with " + previous + ")").orElse(""),
                    Map.of("allocation-id", settings.allocationId(), "eni", node.eni()));
        } finally {
            calls.noteCalls(what);
        }
    }

    /** Reads the address back until it shows the association, with growing pauses, within the deadline. */
    private Address readBackUntilHere(AwsOperation calls, Ec2Client ec2, Ec2Node node, OperationContext context) {
        return ReadBack.until(context, () -> read(calls, ec2), address -> isHere(address, node),
                address -> ASSOCIATE_ADDRESS + " of " + settings.allocationId() + " with " + node.eni()
                        + " succeeded, but the address still shows " + associationText(address));
    }

    @Override
    public void remove(OperationContext context) throws InterruptedException {
        if (!settings.disassociateOnRemove()) {
            return;
        }
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            Ec2Client ec2 = clients.ec2(node.region());
            Optional<Address> found = find(calls, ec2);
            if (found.isEmpty()) {
                return; // an allocation that does not exist is associated with nothing here
            }
            Address address = found.get();
            if (!isOnInterface(address, node) || present(address.associationId()).isEmpty()) {
                return; // never associated here, or already moved on: not ours to undo
            }
            try {
                calls.act(DISASSOCIATE_ADDRESS, limits -> ec2.disassociateAddress(request -> request
                        .associationId(address.associationId()).overrideConfiguration(limits)));
            } catch (AwsException e) {
                if (!e.is("InvalidAssociationID.NotFound")) {
                    throw e;
                }
                // disassociated or moved meanwhile: the goal is reached
            }
            type.addresses().forget(new ElasticIpResourceType.RegionKey(aws, node.region()));
            context.events().note("remove: disassociated " + describe(address) + " from " + node.eni(),
                    Map.of("allocation-id", settings.allocationId(), "eni", node.eni()));
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
            ElasticIpResourceType.RegionKey key = new ElasticIpResourceType.RegionKey(aws, node.region());
            ElasticIpResourceType.Addresses answer;
            try {
                answer = sharedRead(calls, ec2, key);
                if (!answer.asked().contains(settings.allocationId())) {
                    type.addresses().forget(key); // a resource created after that describe started
                    answer = sharedRead(calls, ec2, key);
                }
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read the Elastic IPs: ");
            }
            Address address = answer.found().get(settings.allocationId());
            if (address == null) {
                return CheckResult.unhealthy("Elastic IP " + settings.allocationId() + " does not exist in "
                        + node.region() + " (released?)");
            }
            if (!isHere(address, node)) {
                return CheckResult.unhealthy(describe(address) + " is " + associationText(address) + ", not with "
                        + node.describe() + settings.privateAddress().map(p -> " at " + p).orElse(""));
            }
            return CheckResult.healthy();
        } finally {
            ApiCallCounter.process().noteIfDue(ApiCallCounter.REPORT_EVERY, context.time(), context.events());
        }
    }

    private ElasticIpResourceType.Addresses sharedRead(AwsOperation calls, Ec2Client ec2,
            ElasticIpResourceType.RegionKey key) {
        return type.addresses().get(key, calls, DESCRIBE_ADDRESSES, limits -> {
            Set<String> asked = type.inUse(aws);
            asked.add(settings.allocationId());
            Map<String, Address> found = new HashMap<>();
            // A filter, unlike AllocationIds, does not fail the whole call when one id does not exist.
            ec2.describeAddresses(request -> request.filters(Filter.builder().name("allocation-id").values(asked).build())
                    .overrideConfiguration(limits)).addresses()
                    .forEach(address -> found.put(address.allocationId(), address));
            return new ElasticIpResourceType.Addresses(asked, found);
        });
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
            Optional<Address> address = find(calls, ec2);
            if (address.isEmpty()) {
                problems.problem("allocation-id", "unknown Elastic IP allocation " + settings.allocationId()
                        + ": it does not exist in " + node.region() + " for this account");
            } else if (address.get().domain() != null && address.get().domain() != DomainType.VPC) {
                problems.problem("allocation-id", "Elastic IP " + settings.allocationId() + " is for EC2-Classic,"
                        + " not for a VPC");
            }
            Optional<NetworkInterface> eni = Ec2Interfaces.verifyNodeInterface(calls, ec2, node, problems);
            if (eni.isEmpty()) {
                return;
            }
            settings.privateAddress().ifPresent(wanted -> {
                boolean onInterface = eni.get().privateIpAddresses().stream()
                        .map(NetworkInterfacePrivateIpAddress::privateIpAddress)
                        .anyMatch(wanted.toString()::equals);
                if (!onInterface) {
                    problems.problem("private-address", "private-address " + wanted + " is not an address of node '"
                            + node.name() + "''s network interface " + node.eni() + " (it has "
                            + eni.get().privateIpAddresses().stream()
                                    .map(NetworkInterfacePrivateIpAddress::privateIpAddress).toList() + ")");
                }
            });
        } finally {
            calls.noteCalls("verify");
        }
    }

    private Ec2Node node(OperationContext context) {
        return type.nodes().resolve(context.node(), aws.region(), false, context.deadline());
    }

    /** The address, fresh; a missing allocation is a configuration error. */
    private Address read(AwsOperation calls, Ec2Client ec2) {
        return find(calls, ec2).orElseThrow(() -> new KawariException(ErrorCode.INVALID_CONFIGURATION, false,
                "unknown Elastic IP allocation " + settings.allocationId() + " (kawari validate --live names the cause)"));
    }

    private Optional<Address> find(AwsOperation calls, Ec2Client ec2) {
        try {
            return calls.act(DESCRIBE_ADDRESSES, limits -> ec2.describeAddresses(request -> request
                    .allocationIds(settings.allocationId()).overrideConfiguration(limits))).addresses().stream()
                    .filter(address -> settings.allocationId().equals(address.allocationId()))
                    .findFirst();
        } catch (AwsException e) {
            if (e.is("InvalidAllocationID.NotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }


    /** Associated with exactly this node's interface (and, when configured, its private address). */
    private boolean isHere(Address address, Ec2Node node) {
        return isOnInterface(address, node) && settings.privateAddress()
                .map(wanted -> wanted.toString().equals(address.privateIpAddress())).orElse(true);
    }

    private static boolean isOnInterface(Address address, Ec2Node node) {
        return present(address.networkInterfaceId()).filter(node.eni()::equals).isPresent();
    }

    /** Blank counts as absent: moto answers "" for an instance id it does not have. */
    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isBlank());
    }

    private static Optional<String> owner(Address address) {
        return present(address.networkInterfaceId())
                .map(eni -> eni + present(address.instanceId()).map(instance -> " of " + instance).orElse(""));
    }

    private static String associationText(Address address) {
        return owner(address).map(owner -> "associated with " + owner + present(address.privateIpAddress())
                .map(ip -> " at " + ip).orElse("")).orElse("not associated");
    }

    private String describe(Address address) {
        return "Elastic IP " + present(address.publicIp()).map(ip -> ip + " ").orElse("") + "(" + settings.allocationId()
                + ")";
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
            type.release(aws, settings.allocationId());
            clients.close();
        }
    }

    @Override
    public String toString() {
        return "ec2-eip " + label + " (" + settings.allocationId() + ")";
    }
}
