package dev.kawari.engine.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.cluster.Coordinator;
import dev.kawari.spi.cluster.LeaseRecord;
import dev.kawari.spi.cluster.NodeHeartbeat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A coordinator for one host (demos, tests, a single machine with several agents): leases and
 * heartbeats are JSON files in a directory, and every operation holds an exclusive lock on the
 * directory's lock file (an OS file lock between processes, a lock per directory between threads).
 * A conditional write therefore reads and writes under the lock, which makes it atomic across every
 * process of the host. Writes go to a temporary file moved into place, so a process killed mid-write
 * leaves the previous record. A lock that cannot be had within {@link #LOCK_TIMEOUT} (a process
 * stopped while holding it) makes the call fail as {@link Coordinator#UNAVAILABLE}.
 */
public final class EmbeddedCoordinator implements Coordinator {
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    /** Leases of the cluster kept in {@code directory} (one directory per cluster). */
    public EmbeddedCoordinator(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Optional<LeaseRecord> read(String service) {
        return locked(() -> readLease(service));
    }

    @Override
    public boolean create(LeaseRecord record) {
        return locked(() -> {
            if (readLease(record.service()).isPresent()) {
                return false;
            }
            write(leaseFile(record.service()), toJson(record));
            return true;
        });
    }

    @Override
    public boolean replace(String expectedVersion, LeaseRecord next) {
        return locked(() -> {
            Optional<LeaseRecord> stored = readLease(next.service());
            if (stored.isEmpty() || !stored.get().version().equals(expectedVersion)) {
                return false;
            }
            write(leaseFile(next.service()), toJson(next));
            return true;
        });
    }

    @Override
    public void heartbeat(NodeHeartbeat beat) {
        locked(() -> {
            ObjectNode json = JSON.createObjectNode();
            json.put("node", beat.node());
            json.put("version", beat.version());
            ObjectNode details = json.putObject("details");
            beat.details().forEach(details::put);
            write(directory.resolve("node-" + beat.node() + ".json"), json);
            return null;
        });
    }

    @Override
    public Optional<NodeHeartbeat> heartbeat(String node) {
        return locked(() -> readJson(directory.resolve("node-" + node + ".json")).map(json -> {
            Map<String, String> details = new LinkedHashMap<>();
            json.path("details").fields().forEachRemaining(entry -> details.put(entry.getKey(), entry.getValue().asText()));
            return new NodeHeartbeat(json.path("node").asText(), json.path("version").asText(), details);
        }));
    }

    @Override
    public String prepare() {
        try {
            if (Files.isDirectory(directory)) {
                return "directory " + directory + " exists";
            }
            Files.createDirectories(directory);
            return "created directory " + directory;
        } catch (IOException e) {
            throw KawariException.permanent(NOT_PREPARED, "cannot create " + directory + ": " + e);
        }
    }

    @Override
    public String describe() {
        return "embedded coordinator in " + directory;
    }

    private Optional<LeaseRecord> readLease(String service) {
        return readJson(leaseFile(service)).map(json -> new LeaseRecord(json.path("service").asText(),
                json.path("holder").asText(), json.path("epoch").asLong(), json.path("version").asText(),
                json.path("successor").asText(), json.path("maintenance").asBoolean()));
    }

    private static ObjectNode toJson(LeaseRecord record) {
        ObjectNode json = JSON.createObjectNode();
        json.put("service", record.service());
        json.put("holder", record.holder());
        json.put("epoch", record.epoch());
        json.put("version", record.version());
        json.put("successor", record.successor());
        json.put("maintenance", record.maintenance());
        return json;
    }

    private Path leaseFile(String service) {
        return directory.resolve("lease-" + service + ".json");
    }

    private Optional<JsonNode> readJson(Path file) {
        try {
            return Optional.of(JSON.readTree(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new KawariException(UNAVAILABLE, true, "cannot read " + file + ": " + e, e);
        }
    }

    private void write(Path file, JsonNode json) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temporary, JSON.writeValueAsBytes(json));
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KawariException(UNAVAILABLE, true, "cannot write " + file + ": " + e, e);
        }
    }

    private <T> T locked(Supplier<T> operation) {
        if (!Files.isDirectory(directory)) {
            throw KawariException.permanent(NOT_PREPARED, "the embedded coordinator's directory " + directory
                    + " does not exist; create it with: kawari coordinator create-table FILE");
        }
        ReentrantLock threads = IN_PROCESS.computeIfAbsent(directory, path -> new ReentrantLock());
        long until = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        try {
            if (!threads.tryLock(LOCK_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new KawariException(UNAVAILABLE, true, "lock of " + directory + " busy for " + LOCK_TIMEOUT);
            }
        } catch (InterruptedException e) {
            throw KawariException.interrupted("interrupted waiting for the lock of " + directory, e);
        }
        try (FileChannel channel = FileChannel.open(directory.resolve("coordinator.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock held;
            while ((held = channel.tryLock()) == null) {
                if (System.nanoTime() - until > 0) {
                    throw new KawariException(UNAVAILABLE, true, "file lock of " + directory + " busy for "
                            + LOCK_TIMEOUT + " (another process holds it)");
                }
                Thread.sleep(2);
            }
            try (FileLock lock = held) {
                return operation.get();
            }
        } catch (IOException e) {
            throw new KawariException(UNAVAILABLE, true, "cannot lock " + directory + ": " + e, e);
        } catch (InterruptedException e) {
            throw KawariException.interrupted("interrupted waiting for the file lock of " + directory, e);
        } finally {
            threads.unlock();
        }
    }
}
