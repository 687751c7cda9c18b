package dev.kawari.spi;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * A kind of resource, named in HOCON by {@link #id()}.
 *
 * <p>The keys a type accepts are the keys of its block in the kit's {@code reference.conf}, under
 * {@code kawari-kits.resource-types.<id>}: the engine rejects any other key (suggesting the closest
 * known one) before {@link #create} is called, and merges the defaults in. A key whose default is
 * {@code null} is known but has no default (a required key, or an optional one without a default).
 * An empty object default ({@code environment {}}) accepts any keys below it.
 */
public interface ResourceType {

    /** Kebab-case id, unique across all kits, used as {@code type = <id>} in HOCON. */
    String id();

    /** One line for {@code kawari kits}. */
    default String description() {
        return "";
    }

    /**
     * Validates {@code definition}'s configuration and builds the resource. Reports every problem
     * through {@link KitContext#problem}; the return value is ignored when a problem was reported.
     * Must be cheap and must not touch the outside world: it runs for {@code kawari validate} too.
     *
     * <p>Prefer checking each key and reporting through {@code problem} over letting a typed getter
     * of {@code Config} throw: a throw ends {@code create}, so only the first bad value of the block
     * would be reported (the engine still turns it into a {@code FILE:LINE:} problem). {@link KitBlock}
     * does this for the usual value kinds.
     */
    Resource create(ResourceDefinition definition, KitContext context);

    /**
     * Keys of the block (HOCON paths relative to it) whose values are secrets; the engine replaces
     * their values with {@code <secret>} wherever it prints a message about the block. Secrets should
     * not be in HOCON at all: prefer keys that name where to read them (an environment variable, a
     * file, a secret store).
     */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * The IAM actions ({@code ec2:ReplaceRoute}, …) an instance configured with {@code config}
     * calls, for {@code kawari iam-policy}.
     */
    default Set<String> iamActions(Config config) {
        return Set.of();
    }
}
