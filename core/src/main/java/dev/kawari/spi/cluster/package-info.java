/**
 * The coordinator SPI: the strongly consistent store that decides which node holds each service.
 *
 * <p>A coordinator is a small compare-and-set store of {@link dev.kawari.spi.cluster.LeaseRecord}s
 * (one per service) and {@link dev.kawari.spi.cluster.NodeHeartbeat}s (one per node). It knows
 * nothing of time: the lease algorithm (renewal, version watching on the contender's own monotonic
 * clock, self-fencing, hand-over) lives in the engine and is the same for every coordinator. A
 * coordinator jar lists its {@link dev.kawari.spi.cluster.CoordinatorType} in
 * {@code META-INF/services/dev.kawari.spi.cluster.CoordinatorType} and declares its keys under
 * {@code kawari-kits.coordinator-types.<id>} in its {@code reference.conf}, as kits do.
 *
 * <h2>Contracts every coordinator keeps</h2>
 * <ul>
 *   <li>{@link dev.kawari.spi.cluster.Coordinator#create} and
 *       {@link dev.kawari.spi.cluster.Coordinator#replace} are atomic conditional writes: of any number
 *       of concurrent writers (threads or processes, on any node) expecting the same version, at most
 *       one succeeds.
 *   <li>{@link dev.kawari.spi.cluster.Coordinator#read} is strongly consistent: it sees every write
 *       that succeeded before it was called.
 *   <li>Every method is thread-safe and bounded in time; a coordinator that cannot be reached throws
 *       a {@link dev.kawari.spi.KawariException} with code {@code COORDINATOR_UNAVAILABLE} (retryable)
 *       and never blocks past its call timeout.
 *   <li>Nothing is created silently: a missing table or directory is an error that names the command
 *       creating it ({@link dev.kawari.spi.cluster.Coordinator#prepare}).
 * </ul>
 */
package dev.kawari.spi.cluster;
