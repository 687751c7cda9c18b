package dev.kawari.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kawari.engine.cluster.ClusterNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's admin endpoint: HTTP on 127.0.0.1 only, on a port the kernel picks, every request
 * carrying {@code Authorization: Bearer TOKEN}. Port and token are written to
 * {@code <state-dir>/<node>.admin}, created owner-only ({@code rw-------}; the agent runs as root, so
 * only root can read it), which is how {@code kawari status}, {@code switchover} and
 * {@code maintenance} find and authenticate to it. Requests without the right token get 401.
 *
 * <ul>
 *   <li>{@code GET /status}: the node's {@link dev.kawari.engine.cluster.ClusterStatus} as JSON;
 *   <li>{@code POST /switchover?service=S&to=N}; {@code POST /maintenance?service=S&on=true|false}.
 * </ul>
 */
final class AdminServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ClusterNode cluster;
    private final byte[] token;
    private final Path file;

    private AdminServer(HttpServer server, ExecutorService executor, ClusterNode cluster, String token, Path file) {
        this.server = server;
        this.executor = executor;
        this.cluster = cluster;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    static Path adminFile(Path stateDir, String node) {
        return stateDir.resolve(node + ".admin");
    }

    static AdminServer start(ClusterNode cluster, Path stateDir) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "kawari-admin");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        Path file = adminFile(stateDir, cluster.node());
        AdminServer admin = new AdminServer(server, executor, cluster, token, file);
        server.createContext("/", admin::handle);
        server.start();
        try {
            Files.createDirectories(stateDir);
            Path temporary = Files.createTempFile(stateDir, "." + cluster.node(), ".admin",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, "port=" + server.getAddress().getPort() + "\ntoken=" + token + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            admin.close();
            throw e;
        }
        cluster.heartbeatDetail("admin", "127.0.0.1:" + server.getAddress().getPort());
        return admin;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String header = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] presented = header.startsWith("Bearer ")
                    ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(presented, token)) {
                answer(exchange, 401, Map.of("error", "missing or wrong token (see the node's .admin file)"));
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            try {
                if (path.equals("/status") && method.equals("GET")) {
                    answer(exchange, 200, cluster.status());
                } else if (path.equals("/switchover") && method.equals("POST")) {
                    answer(exchange, 200, cluster.switchover(required(query, "service"), required(query, "to")));
                } else if (path.equals("/maintenance") && method.equals("POST")) {
                    answer(exchange, 200, cluster.maintenance(required(query, "service"),
                            Boolean.parseBoolean(required(query, "on"))));
                } else {
                    answer(exchange, 404, Map.of("error", "no such request: " + method + " " + path));
                }
            } catch (IllegalArgumentException e) {
                answer(exchange, 400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                answer(exchange, 500, Map.of("error", e.toString()));
            }
        }
    }

    private static String required(Map<String, String> query, String key) {
        String value = query.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing parameter '" + key + "'");
        }
        return value;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AdminServer.class).warn("cannot delete {}: {}", file, e.toString());
        }
    }
}
