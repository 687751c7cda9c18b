package dev.kawari.spi.cluster;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import java.util.Optional;

/**
 * A compare-and-set store of leases and heartbeats for one cluster; see the package documentation
 * for the contracts. Built by a {@link CoordinatorType} from the {@code kawari.coordinator} block;
 * building it touches nothing, the first call connects.
 */
public interface Coordinator extends AutoCloseable {

    /** The coordinator could not be reached or did not answer in time; retrying may help. */
    ErrorCode UNAVAILABLE = new ErrorCode("COORDINATOR_UNAVAILABLE", ErrorType.EXTERNAL);
    /** The store does not exist or is not usable as configured; an operator must act. */
    ErrorCode NOT_PREPARED = new ErrorCode("COORDINATOR_NOT_PREPARED", ErrorType.CONFIGURATION);

    /** The lease of {@code service}, strongly consistent; empty if none was ever written. */
    Optional<LeaseRecord> read(String service);

    /**
     * Stores {@code record} if the service has no lease yet.
     *
     * @return false if a lease already exists (nothing is written)
     */
    boolean create(LeaseRecord record);

    /**
     * Stores {@code next} if the stored lease of {@code next.service()} has {@code expectedVersion}.
     *
     * @return false if the stored version differs or there is none (nothing is written)
     */
    boolean replace(String expectedVersion, LeaseRecord next);

    /** Stores {@code beat}, replacing the node's previous one unconditionally. */
    void heartbeat(NodeHeartbeat beat);

    /** The last beat of {@code node}; empty if it never beat. */
    Optional<NodeHeartbeat> heartbeat(String node);

    /**
     * Creates the store (a table, a directory) if it does not exist; called only on the operator's
     * explicit request ({@code kawari coordinator create-table}), never by a running agent.
     *
     * @return a line for people saying what was done
     */
    default String prepare() {
        return "nothing to prepare";
    }

    /** Where the leases are kept, for messages ("DynamoDB table kawari-leases in eu-west-1"). */
    String describe();

    /** Releases connections; idempotent. */
    @Override
    default void close() {
    }
}
