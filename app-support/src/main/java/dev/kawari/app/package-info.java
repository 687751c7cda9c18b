/**
 * What application kits share, so that each kit holds only what is its own (its protocol, its
 * checks, its error codes): the {@link dev.kawari.app.CommandRunner} that runs start and stop
 * commands (argument vectors without a shell, bounded, killing the whole process tree, output into
 * events), the {@link dev.kawari.app.ReadinessWait} that waits for a server to answer or go silent,
 * and the {@link dev.kawari.app.PasswordSource}s a monitor logs in with (environment, file, AWS
 * Secrets Manager), read from a block by {@link dev.kawari.app.PasswordSources}.
 *
 * <p>Layering: kits use {@code dev.kawari.spi}, {@code dev.kawari.aws} and this package; this package
 * uses {@code dev.kawari.spi} and, for Secrets Manager, the clients of {@code dev.kawari.aws}, which
 * knows nothing of passwords or applications. Failures carry the calling kit's error codes ({@link
 * dev.kawari.app.CommandErrorCodes}, a password source's "unavailable" code), so an operator reads which
 * kit failed.
 */
package dev.kawari.app;
