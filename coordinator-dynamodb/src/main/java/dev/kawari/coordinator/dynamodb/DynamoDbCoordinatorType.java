package dev.kawari.coordinator.dynamodb;

import com.typesafe.config.Config;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsSettings;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.CoordinatorType;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code kawari.coordinator { type = dynamodb, table = kawari-leases, region = eu-west-1 }}; credentials
 * and the endpoint override come from {@code kawari.aws}.
 */
public final class DynamoDbCoordinatorType implements CoordinatorType {
    public static final String ID = "dynamodb";
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Coordinator create(Config block, KitContext context) {
        boolean[] bad = {false};
        AwsSettings settings = AwsSettings.read(context.section(AwsSettings.SECTION), (key, message) -> {
            bad[0] = true;
            context.problem(key, message);
        });
        String table = block.getString("table");
        if (!TABLE.matcher(table).matches()) {
            context.problem("table", "'table' must be 3 to 255 letters, digits, '_', '-' or '.', got '" + table + "'");
            bad[0] = true;
        }
        Optional<String> region = block.hasPath("region") ? Optional.of(block.getString("region")) : settings.region();
        if (region.isEmpty() || region.get().isBlank()) {
            context.problem("region", "set the DynamoDB table's region here or in kawari.aws.region");
            bad[0] = true;
        }
        Duration callTimeout = block.getDuration("call-timeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            context.problem("call-timeout", "call-timeout must be greater than 0");
            bad[0] = true;
        }
        if (bad[0]) {
            return null;
        }
        return new DynamoDbCoordinator(AwsClients.lease(settings), region.get(), table, context.cluster(), callTimeout);
    }
}
