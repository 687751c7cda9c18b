package dev.kawari.aws;

import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * One SDK call. It applies {@code limits} to its request ({@code .overrideConfiguration(limits)}),
 * which sets the call's timeout from the operation's deadline.
 *
 * <pre>{@code
 * aws.act("ec2:ReplaceRoute", limits -> ec2.replaceRoute(request -> request
 *         .routeTableId(table).destinationCidrBlock(cidr).networkInterfaceId(eni)
 *         .overrideConfiguration(limits)));
 * }</pre>
 */
@FunctionalInterface
public interface AwsCall<T> {
    T call(Consumer<AwsRequestOverrideConfiguration.Builder> limits);
}
