package dev.kawari.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * A VPC subnet as the address kits need it: where it is and which of its addresses a host may use.
 *
 * @param id {@code subnet-…}
 * @param vpcId the VPC it belongs to
 * @param availabilityZone the one zone it lies in
 * @param cidr its IPv4 block
 */
public record Ec2Subnet(String id, String vpcId, String availabilityZone, Ipv4Cidr cidr) {
    /** The IAM action of {@link #describe}. */
    public static final String DESCRIBE_SUBNETS = "ec2:DescribeSubnets";

    public Ec2Subnet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vpcId, "vpcId");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
        Objects.requireNonNull(cidr, "cidr");
    }

    /**
     * Why {@code address} cannot be a host's address in this subnet: AWS reserves the first four
     * addresses of every subnet (network, VPC router, DNS, future use) and the last one; empty when it
     * can.
     */
    public Optional<String> reservation(Ipv4Address address) {
        if (!cidr.contains(address)) {
            return Optional.empty();
        }
        if (address.equals(cidr.offset(0))) {
            return Optional.of("the network address of " + cidr);
        }
        if (address.equals(cidr.offset(1))) {
            return Optional.of("reserved by AWS for the VPC router of " + cidr);
        }
        if (address.equals(cidr.offset(2))) {
            return Optional.of("reserved by AWS for the Amazon DNS server of " + cidr);
        }
        if (address.equals(cidr.offset(3))) {
            return Optional.of("reserved by AWS for future use in " + cidr);
        }
        if (address.equals(cidr.last())) {
            return Optional.of("the broadcast address of " + cidr + ", which AWS reserves");
        }
        return Optional.empty();
    }

    /** The VPC router, the gateway of every host of the subnet: the block's second address. */
    public Ipv4Address router() {
        return cidr.offset(1);
    }

    /** {@code subnet-0abc (10.0.1.0/24, us-east-1a)}, for messages. */
    public String describe() {
        return id + " (" + cidr + ", " + availabilityZone + ")";
    }

    /**
     * The subnets {@code ids}, by id, read with one {@code DescribeSubnets} (an id filter, so that one
     * unknown id leaves the others found rather than failing the call); an unknown id is absent.
     */
    public static Map<String, Ec2Subnet> describe(AwsOperation calls, Ec2Client ec2, Collection<String> ids) {
        Map<String, Ec2Subnet> found = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<String> wanted = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        List<Subnet> subnets = calls.act(DESCRIBE_SUBNETS, limits -> ec2.describeSubnets(request -> request
                .filters(Filter.builder().name("subnet-id").values(wanted).build())
                .overrideConfiguration(limits))).subnets();
        for (Subnet subnet : subnets) {
            Ipv4Cidr.parse(String.valueOf(subnet.cidrBlock())).ifPresent(cidr -> found.put(subnet.subnetId(),
                    new Ec2Subnet(subnet.subnetId(), subnet.vpcId(), subnet.availabilityZone(), cidr)));
        }
        return found;
    }
}
