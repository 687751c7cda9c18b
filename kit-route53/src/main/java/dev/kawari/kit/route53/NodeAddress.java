package dev.kawari.kit.route53;

import dev.kawari.aws.Ipv4Address;
import java.util.Objects;

/** Which address a node publishes in the record. */
sealed interface NodeAddress {

    /** For messages: {@code the private address of its network interface}. */
    String describe();

    /** The primary private address of the node's network interface (the default). */
    record PrivateIp() implements NodeAddress {
        @Override
        public String describe() {
            return "the private address of its network interface";
        }
    }

    /** The public address of the node's network interface: auto-assigned, or an associated Elastic IP. */
    record PublicIp() implements NodeAddress {
        @Override
        public String describe() {
            return "the public address of its network interface";
        }
    }

    /** An address written in the configuration. */
    record Literal(Ipv4Address address) implements NodeAddress {
        public Literal {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String describe() {
            return address.toString();
        }
    }

    /** The public address of an Elastic IP allocation (which never changes for the allocation). */
    record ElasticIp(String allocationId) implements NodeAddress {
        public ElasticIp {
            Objects.requireNonNull(allocationId, "allocationId");
        }

        @Override
        public String describe() {
            return "the address of Elastic IP " + allocationId;
        }
    }
}
