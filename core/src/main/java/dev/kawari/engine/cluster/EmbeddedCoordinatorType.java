package dev.kawari.engine.cluster;

import com.typesafe.config.Config;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.CoordinatorType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code kawari.coordinator { type = embedded, directory = "/var/lib/kawari/coordinator" }}: every
 * agent of one host shares the directory; the cluster's leases live in a subdirectory named after it.
 */
public final class EmbeddedCoordinatorType implements CoordinatorType {
    public static final String ID = "embedded";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Coordinator create(Config block, KitContext context) {
        String directory = block.getString("directory");
        if (directory.isBlank()) {
            context.problem("directory", "'directory' must not be empty");
            return null;
        }
        try {
            return new EmbeddedCoordinator(Path.of(directory).resolve(context.cluster()));
        } catch (InvalidPathException e) {
            context.problem("directory", "'directory' is not a valid path: " + e.getMessage());
            return null;
        }
    }
}
