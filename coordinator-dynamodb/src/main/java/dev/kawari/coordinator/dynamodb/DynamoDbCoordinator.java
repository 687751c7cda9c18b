package dev.kawari.coordinator.dynamodb;

import dev.kawari.aws.AwsClients;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.spi.cluster.NodeHeartbeat;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Leases and heartbeats as items of one DynamoDB table, keyed {@code id} (a string):
 * {@code <cluster>/lease/<service>} and {@code <cluster>/node/<node>}, so clusters may share a table.
 *
 * <p>{@link #create} is a {@code PutItem} on condition {@code attribute_not_exists(id)};
 * {@link #replace} a {@code PutItem} on condition {@code version = :expected}. DynamoDB applies a
 * conditional write atomically, so of any number of writers expecting one version, at most one
 * succeeds. Reads are strongly consistent ({@code ConsistentRead}). Every call is bounded by
 * {@code call-timeout} and made once: the engine's lease loop is the retry. The table is created only
 * by {@link #prepare()} (on demand), on-demand billing.
 */
public final class DynamoDbCoordinator implements Coordinator {
    private static final String ID = "id";

    private final AwsClients.Lease clients;
    private final String region;
    private final String table;
    private final String cluster;
    private final Duration callTimeout;

    public DynamoDbCoordinator(AwsClients.Lease clients, String region, String table, String cluster, Duration callTimeout) {
        this.clients = clients;
        this.region = region;
        this.table = table;
        this.cluster = cluster;
        this.callTimeout = callTimeout;
    }

    private DynamoDbClient db() {
        return clients.dynamoDb(region);
    }

    @Override
    public Optional<LeaseRecord> read(String service) {
        return call("GetItem", () -> {
            Map<String, AttributeValue> item = db().getItem(request -> request.tableName(table).consistentRead(true)
                    .key(Map.of(ID, s(leaseId(service))))
                    .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new LeaseRecord(service, text(item, "holder"), Long.parseLong(item.get("epoch").n()),
                    text(item, "version"), text(item, "successor"),
                    item.containsKey("maintenance") && Boolean.TRUE.equals(item.get("maintenance").bool())));
        });
    }

    @Override
    public boolean create(LeaseRecord record) {
        return conditional(() -> db().putItem(request -> request.tableName(table).item(itemWithId(record))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID))
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))));
    }

    @Override
    public boolean replace(String expectedVersion, LeaseRecord next) {
        return conditional(() -> db().putItem(request -> request.tableName(table).item(itemWithId(next))
                .conditionExpression("#v = :expected")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":expected", s(expectedVersion)))
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))));
    }

    @Override
    public void heartbeat(NodeHeartbeat beat) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(nodeId(beat.node())));
        item.put("node", s(beat.node()));
        item.put("version", s(beat.version()));
        Map<String, AttributeValue> details = new LinkedHashMap<>();
        beat.details().forEach((key, value) -> details.put(key, s(value)));
        item.put("details", AttributeValue.fromM(details));
        call("PutItem", () -> db().putItem(request -> request.tableName(table).item(item)
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))));
    }

    @Override
    public Optional<NodeHeartbeat> heartbeat(String node) {
        return call("GetItem", () -> {
            Map<String, AttributeValue> item = db().getItem(request -> request.tableName(table).consistentRead(true)
                    .key(Map.of(ID, s(nodeId(node))))
                    .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))).item();
            if (item == null || item.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> details = new LinkedHashMap<>();
            if (item.containsKey("details")) {
                item.get("details").m().forEach((key, value) -> details.put(key, value.s()));
            }
            return Optional.of(new NodeHeartbeat(node, text(item, "version"), details));
        });
    }

    @Override
    public String prepare() {
        try {
            db().createTable(request -> request.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(ID)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build()));
        } catch (ResourceInUseException e) {
            return "DynamoDB table " + table + " in " + region + " exists";
        } catch (SdkException e) {
            throw new KawariException(NOT_PREPARED, false, "cannot create DynamoDB table " + table + " in " + region
                    + ": " + e.getMessage() + " (needs dynamodb:CreateTable and dynamodb:DescribeTable)", e);
        }
        for (int i = 0; i < 120; i++) {
            TableStatus status = db().describeTable(request -> request.tableName(table)).table().tableStatus();
            if (status == TableStatus.ACTIVE) {
                return "created DynamoDB table " + table + " in " + region;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                throw KawariException.interrupted("interrupted waiting for table " + table, e);
            }
        }
        throw new KawariException(NOT_PREPARED, true, "DynamoDB table " + table + " did not become ACTIVE in 2 minutes");
    }

    @Override
    public String describe() {
        return "DynamoDB table " + table + " in " + region;
    }

    @Override
    public void close() {
        clients.close();
    }

    private String leaseId(String service) {
        return cluster + "/lease/" + service;
    }

    private String nodeId(String node) {
        return cluster + "/node/" + node;
    }

    private static Map<String, AttributeValue> item(LeaseRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("holder", s(record.holder()));
        item.put("epoch", AttributeValue.fromN(Long.toString(record.epoch())));
        item.put("version", s(record.version()));
        item.put("successor", s(record.successor()));
        item.put("maintenance", AttributeValue.fromBool(record.maintenance()));
        item.put("service", s(record.service()));
        return item;
    }

    private Map<String, AttributeValue> itemWithId(LeaseRecord record) {
        Map<String, AttributeValue> item = item(record);
        item.put(ID, s(leaseId(record.service())));
        return item;
    }

    private boolean conditional(Runnable write) {
        return call("PutItem", () -> {
            try {
                write.run();
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (ResourceNotFoundException e) {
            throw new KawariException(NOT_PREPARED, false, "DynamoDB table " + table + " does not exist in " + region
                    + " (" + operation + ", request " + e.requestId() + "); create it with: kawari coordinator"
                    + " create-table FILE", e);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            boolean denied = e.statusCode() == 403 || "AccessDeniedException".equals(code);
            throw new KawariException(denied ? NOT_PREPARED : UNAVAILABLE, !denied, "DynamoDB " + operation + " on "
                    + table + " failed: " + code + " " + e.getMessage() + (denied ? " (needs dynamodb:" + operation
                    + ")" : ""), e);
        } catch (SdkException e) {
            throw new KawariException(UNAVAILABLE, true, "DynamoDB " + operation + " on " + table + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String text(Map<String, AttributeValue> item, String key) {
        AttributeValue value = item.get(key);
        return value == null || value.s() == null ? "" : value.s();
    }
}
