package dev.kawari.kit.route53;

import java.util.Objects;

/**
 * A VPC whose clients must resolve the record: a private hosted zone answers only in the VPCs
 * associated with it, whatever their region.
 *
 * @param id {@code vpc-…}
 * @param region the VPC's region
 */
record ClientVpc(String id, String region) {
    ClientVpc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String toString() {
        return id + " (" + region + ")";
    }
}
