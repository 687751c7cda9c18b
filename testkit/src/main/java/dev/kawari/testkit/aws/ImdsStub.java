package dev.kawari.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IMDSv2 stub: the instance metadata of one instance of an {@link Ec2Topology} (its id, region,
 * zone, MAC, primary ENI and VPC), served only to requests that present a session token obtained
 * with {@code PUT /latest/api/token}. Requests without a token get 401 and are counted, so a test can
 * prove that a client never tries IMDSv1.
 *
 * <pre>{@code
 * try (ImdsStub imds = ImdsStub.start()) {
 *     imds.serve(topology.nodeA(), "us-east-1", topology.vpcId());
 *     System.setProperty("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.uri().toString());
 *     ...
 * }
 * }</pre>
 */
public final class ImdsStub implements AutoCloseable {
    private static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    private static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";

    private final HttpServer server;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenless = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile Map<String, String> metadata = Map.of();

    private ImdsStub(HttpServer server) {
        this.server = server;
    }

    /** A stub on a free port of 127.0.0.1. */
    public static ImdsStub start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** A stub on a free port of {@code address} (the host end of a test's veth, for a node in a namespace). */
    public static ImdsStub start(InetAddress address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        ImdsStub stub = new ImdsStub(server);
        server.createContext("/", stub::handle);
        server.start();
        return stub;
    }

    /** {@code http://ADDRESS:PORT}, what {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} should say. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /** Serves {@code node}'s metadata from now on. */
    public void serve(Ec2Topology.Node node, String region, String vpcId) {
        Objects.requireNonNull(node, "node");
        String prefix = "network/interfaces/macs/" + node.mac() + "/";
        Map<String, String> values = new HashMap<>();
        values.put("instance-id", node.instanceId());
        values.put("placement/region", region);
        values.put("placement/availability-zone", node.availabilityZone());
        values.put("mac", node.mac());
        values.put("local-ipv4", node.privateAddress());
        values.put(prefix + "interface-id", node.eni());
        values.put(prefix + "vpc-id", vpcId);
        values.put(prefix + "local-ipv4s", node.privateAddress());
        this.metadata = Map.copyOf(values);
    }

    /** Requests that came without a valid token (an IMDSv1 attempt, or a forged token). */
    public int tokenlessRequests() {
        return tokenless.get();
    }

    /** Session tokens handed out. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if ("/latest/api/token".equals(path)) {
                String ttl = exchange.getRequestHeaders().getFirst(TTL_HEADER);
                if (!"PUT".equals(method) || ttl == null || !validTtl(ttl)) {
                    answer(exchange, 400, "a token needs PUT with " + TTL_HEADER + " between 1 and 21600");
                    return;
                }
                String token = UUID.randomUUID().toString();
                tokens.add(token);
                tokensIssued.incrementAndGet();
                answer(exchange, 200, token);
                return;
            }
            String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (token == null || !tokens.contains(token)) {
                tokenless.incrementAndGet();
                answer(exchange, 401, "");
                return;
            }
            if (!"GET".equals(method) || !path.startsWith("/latest/meta-data/")) {
                answer(exchange, 404, "");
                return;
            }
            String value = metadata.get(path.substring("/latest/meta-data/".length()));
            answer(exchange, value == null ? 404 : 200, value == null ? "" : value);
        }
    }

    private static boolean validTtl(String ttl) {
        try {
            int seconds = Integer.parseInt(ttl.trim());
            return seconds >= 1 && seconds <= 21600;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
