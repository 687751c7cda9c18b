package dev.kawari.kit.routetable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.testkit.aws.AwsEndpointExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * What real AWS does and moto does not, on which the kit's handling of races rests (TESTING.md: moto's
 * CreateRoute overwrites an existing route). Tagged {@code aws-live}, so the default build leaves it
 * out; run it against an account with {@code KAWARI_AWS_ENDPOINT=https://ec2.REGION.amazonaws.com},
 * {@code AWS_REGION} and credentials, and {@code -Dgroups=aws-live}. It creates a VPC, a subnet, a
 * network interface, a route table and an Elastic IP, and deletes them again.
 */
@Tag("aws-live")
class AwsBehaviourLiveIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension(false);

    @Test
    void routesRaceAsTheKitExpects() {
        try (Ec2Client ec2 = aws.endpoint().ec2()) {
            String vpc = ec2.createVpc(request -> request.cidrBlock("10.77.0.0/16")).vpc().vpcId();
            try {
                String subnet = ec2.createSubnet(request -> request.vpcId(vpc).cidrBlock("10.77.1.0/24")).subnet()
                        .subnetId();
                String eni = ec2.createNetworkInterface(request -> request.subnetId(subnet)).networkInterface()
                        .networkInterfaceId();
                String table = ec2.createRouteTable(request -> request.vpcId(vpc)).routeTable().routeTableId();
                try {
                    // ReplaceRoute of a missing route: the kit falls back to CreateRoute on this answer.
                    Ec2Exception missing = catchThrowableOfType(Ec2Exception.class, () -> ec2.replaceRoute(request ->
                            request.routeTableId(table).destinationCidrBlock("198.51.100.10/32").networkInterfaceId(eni)));
                    assertThat(missing.awsErrorDetails().errorCode()).isIn("InvalidParameterValue", "InvalidRoute.NotFound");

                    // CreateRoute of an existing route: the kit falls back to ReplaceRoute on this answer.
                    ec2.createRoute(request -> request.routeTableId(table).destinationCidrBlock("198.51.100.10/32")
                            .networkInterfaceId(eni));
                    Ec2Exception exists = catchThrowableOfType(Ec2Exception.class, () -> ec2.createRoute(request ->
                            request.routeTableId(table).destinationCidrBlock("198.51.100.10/32").networkInterfaceId(eni)));
                    assertThat(exists.awsErrorDetails().errorCode()).isEqualTo("RouteAlreadyExists");
                } finally {
                    ec2.deleteRouteTable(request -> request.routeTableId(table));
                    ec2.deleteNetworkInterface(request -> request.networkInterfaceId(eni));
                    ec2.deleteSubnet(request -> request.subnetId(subnet));
                }
            } finally {
                ec2.deleteVpc(request -> request.vpcId(vpc));
            }
        }
    }

    @Test
    void anAllocationIdFilterIgnoresUnknownIdsWhereTheIdListFails() {
        try (Ec2Client ec2 = aws.endpoint().ec2()) {
            String allocation = ec2.allocateAddress(request -> request.domain(DomainType.VPC)).allocationId();
            try {
                assertThat(ec2.describeAddresses(request -> request.filters(software.amazon.awssdk.services.ec2.model.Filter
                        .builder().name("allocation-id").values(allocation, "eipalloc-0123456789abcdef0").build())).addresses()).hasSize(1);
                Ec2Exception unknown = catchThrowableOfType(Ec2Exception.class, () -> ec2.describeAddresses(request ->
                        request.allocationIds(allocation, "eipalloc-0123456789abcdef0")));
                assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("InvalidAllocationID.NotFound");
            } finally {
                ec2.releaseAddress(request -> request.allocationId(allocation));
            }
        }
    }
}
