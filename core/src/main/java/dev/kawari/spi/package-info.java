/**
 * The Kawari service provider interface: everything a recovery kit sees of Kawari.
 *
 * <p>A kit is a jar with one {@link dev.kawari.spi.RecoveryKit} registered in
 * {@code META-INF/services/dev.kawari.spi.RecoveryKit}. The kit names the {@link
 * dev.kawari.spi.ResourceType}s and {@link dev.kawari.spi.MonitorType}s it contributes; each type
 * validates its configuration block and builds {@link dev.kawari.spi.Resource} or {@link
 * dev.kawari.spi.Monitor} instances.
 *
 * <p>This package depends on the JDK and on Typesafe Config only: no dependency-injection, cloud SDK
 * or logging-implementation type appears here, so a kit can be written and tested with plain
 * {@code new}. It grows only by default methods.
 *
 * <h2>Contracts every kit keeps (checked by the kit TCK in {@code kawari-testkit})</h2>
 * <ul>
 *   <li>{@code restore} and {@code remove} are idempotent: running either twice leaves the same state
 *       as running it once, and {@code remove} of a resource that was never restored does nothing.
 *   <li>Every action honours {@link dev.kawari.spi.OperationContext#deadline()} and thread interrupts:
 *       when either fires it stops promptly, restores the interrupt flag, and throws.
 *   <li>A check never changes anything.
 *   <li>The engine never runs two actions on the same resource at once; it may run actions on
 *       different resources, and checks, concurrently.
 *   <li>Failures are {@link dev.kawari.spi.KawariException}s that carry an {@link
 *       dev.kawari.spi.ErrorCode}.
 * </ul>
 */
package dev.kawari.spi;
