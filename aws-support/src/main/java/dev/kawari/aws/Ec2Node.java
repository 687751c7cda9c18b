package dev.kawari.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * This node as AWS kits need it: where it runs and which network interface is its own.
 *
 * @param name the node's key under {@code kawari.nodes}
 * @param instanceId {@code i-…}, when configured or discovered
 * @param region the node's region
 * @param eni the node's primary network interface ({@code eni-…}): routes and addresses point here
 * @param device the operating system's name of that interface ({@code eth0}), when needed and known
 */
public record Ec2Node(String name, Optional<String> instanceId, String region, String eni, Optional<String> device) {
    public Ec2Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(eni, "eni");
        Objects.requireNonNull(device, "device");
    }

    /** {@code node-a (i-0abc, eni-0def)}, for messages. */
    public String describe() {
        return name + " (" + instanceId.map(id -> id + ", ").orElse("") + eni + ")";
    }
}
