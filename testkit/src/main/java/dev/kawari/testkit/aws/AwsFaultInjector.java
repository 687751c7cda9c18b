package dev.kawari.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * An HTTP proxy between an AWS client and the emulator that injects faults, switchable while a test
 * runs: every request (or those a predicate selects, such as {@code ReplaceRoute} on one route
 * table) can be throttled (HTTP 503 with EC2's {@code RequestLimitExceeded} error), failed with any
 * AWS error, slowed down, accepted without being forwarded (an EC2 change AWS took but does not show
 * yet), or answered with a rewritten body (a Route 53 change that stays {@code PENDING}, which
 * emulators never report). It records every request it receives ({@link #requests()}). Point the
 * kit's endpoint at {@link #uri()}. Query-protocol
 * requests (EC2) get their errors as XML; JSON-protocol requests (Secrets Manager, with an {@code
 * X-Amz-Target} header) as JSON; Route 53's REST requests as Route 53's XML, as each service answers.
 * {@link AwsRequest#action()} names the operation of all three.
 *
 * <pre>{@code
 * try (AwsFaultInjector faults = AwsFaultInjector.start(endpoint.uri())) {
 *     faults.throttleAll();                    // every call: 503 RequestLimitExceeded
 *     ...                                      // checks must say Unknown
 *     faults.passAll();                        // back to normal
 *     faults.fail(request -> request.is("ReplaceRoute") && table.equals(request.parameter("RouteTableId")),
 *             Fault.error(403, "UnauthorizedOperation", "You are not authorized"));
 * }
 * }</pre>
 */
public final class AwsFaultInjector implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding");

    /**
     * One request as the proxy saw it: the Query-protocol parameters of its form body, decoded; for a
     * JSON-protocol request, {@code Action} is the operation of its {@code X-Amz-Target} header.
     */
    public record AwsRequest(String method, String path, Map<String, String> parameters) {
        public AwsRequest {
            parameters = Map.copyOf(parameters);
        }

        /**
         * The API operation: {@code ReplaceRoute}, {@code GetSecretValue}, or for Route 53's REST
         * protocol the operation its method and path mean ({@code ChangeResourceRecordSets}, {@code
         * GetChange}, …); empty for anything else.
         */
        public String action() {
            String action = parameters.getOrDefault("Action", "");
            return action.isEmpty() ? route53Action(method, path) : action;
        }

        /** Whether this is a Route 53 (REST) request. */
        public boolean isRoute53() {
            return path.startsWith(ROUTE53_PREFIX);
        }

        public boolean is(String action) {
            return action.equals(action());
        }

        /** A parameter's value, or empty. */
        public String parameter(String name) {
            return parameters.getOrDefault(name, "");
        }
    }

    private static final String ROUTE53_PREFIX = "/2013-04-01/";

    /** Route 53's REST operations by method and path, as far as tests of kits meet them. */
    static String route53Action(String method, String path) {
        if (!path.startsWith(ROUTE53_PREFIX)) {
            return "";
        }
        String rest = path.substring(ROUTE53_PREFIX.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String[] parts = rest.split("/");
        boolean get = "GET".equals(method);
        boolean post = "POST".equals(method);
        if (parts.length == 2 && parts[0].equals("change") && get) {
            return "GetChange";
        }
        if (parts[0].equals("hostedzone")) {
            if (parts.length == 1) {
                return post ? "CreateHostedZone" : get ? "ListHostedZones" : "";
            }
            if (parts.length == 2) {
                return get ? "GetHostedZone" : "DELETE".equals(method) ? "DeleteHostedZone" : "";
            }
            if (parts.length == 3 && parts[2].equals("rrset")) {
                return post ? "ChangeResourceRecordSets" : get ? "ListResourceRecordSets" : "";
            }
            if (parts.length == 3 && parts[2].equals("associatevpc") && post) {
                return "AssociateVPCWithHostedZone";
            }
            if (parts.length == 3 && parts[2].equals("disassociatevpc") && post) {
                return "DisassociateVPCFromHostedZone";
            }
        }
        return "";
    }

    /** What to do to a request. */
    public sealed interface Fault permits Fault.Answer, Fault.Delay, Fault.Accept, Fault.Rewrite {
        /** Answer at once with this status and AWS error, instead of forwarding. */
        record Answer(int status, String code, String message) implements Fault {
        }

        /** Wait this long, then forward. */
        record Delay(Duration delay) implements Fault {
        }

        /**
         * Answer at once with EC2's success ({@code <return>true</return>}) without forwarding: AWS
         * accepted the change, which has not become visible (yet). For EC2 actions that return only that.
         */
        record Accept() implements Fault {
        }

        /** Forward the request, then answer with the emulator's status and its body passed through {@code body}. */
        record Rewrite(java.util.function.UnaryOperator<String> body) implements Fault {
        }

        /** HTTP 503 with {@code RequestLimitExceeded}, as EC2 throttles. */
        static Fault throttle() {
            return new Answer(503, "RequestLimitExceeded", "Request limit exceeded.");
        }

        static Fault error(int status, String code, String message) {
            return new Answer(status, code, message);
        }

        static Fault delay(Duration delay) {
            return new Delay(delay);
        }

        static Fault accept() {
            return new Accept();
        }

        /** HTTP 400 with {@code Throttling} ("Rate exceeded"), as Route 53 throttles. */
        static Fault route53Throttle() {
            return new Answer(400, "Throttling", "Rate exceeded");
        }

        static Fault rewrite(java.util.function.UnaryOperator<String> body) {
            return new Rewrite(body);
        }
    }

    private record Rule(Predicate<AwsRequest> applies, Fault fault) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient upstream;
    private final URI target;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong rulesVersion = new AtomicLong();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final Map<String, LongAdder> faulted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> forwarded = new ConcurrentHashMap<>();
    private final java.util.Queue<AwsRequest> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.locks.ReentrantLock oneAtATime = new java.util.concurrent.locks.ReentrantLock(true);
    private volatile boolean serialized;

    private AwsFaultInjector(HttpServer server, ExecutorService executor, URI target) {
        this.server = server;
        this.executor = executor;
        this.target = target;
        this.upstream = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .proxy(java.net.ProxySelector.of(null))
                .build();
    }

    /** A proxy to {@code target} on a free port of 127.0.0.1, passing everything. */
    public static AwsFaultInjector start(URI target) throws IOException {
        return start(target, InetAddress.getLoopbackAddress());
    }

    /** As {@link #start(URI)}, listening on {@code address} (the host end of a test's veth). */
    public static AwsFaultInjector start(URI target, InetAddress address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "kawari-fault-injector-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        AwsFaultInjector injector = new AwsFaultInjector(server, executor, target);
        server.createContext("/", injector::handle);
        server.start();
        return injector;
    }

    /** Where clients should send their requests. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    /**
     * Forwards one request at a time, in arrival order, each answered before the next is sent. moto's
     * DynamoDB evaluates a {@code ConditionExpression} and writes in two steps that concurrent
     * requests interleave; serialised, every conditional write is atomic, as in DynamoDB.
     */
    public AwsFaultInjector serialize() {
        serialized = true;
        return this;
    }

    /** Answers every request with HTTP 503 at once: the client is cut off (until {@link #passAll()}). */
    public void cutOff() {
        fail(request -> true, Fault.error(503, "ServiceUnavailable", "cut off by the test"));
    }

    /** Removes every fault: requests pass through unchanged. */
    public void passAll() {
        rules.clear();
        rulesVersion.incrementAndGet();
    }

    /** Throttles every request. */
    public void throttleAll() {
        fail(request -> true, Fault.throttle());
    }

    /** Throttles the requests {@code applies} selects. */
    public void throttle(Predicate<AwsRequest> applies) {
        fail(applies, Fault.throttle());
    }

    /** Slows every request down by {@code delay} (ended early by {@link #passAll()} or {@link #close()}). */
    public void slowAll(Duration delay) {
        fail(request -> true, Fault.delay(delay));
    }

    /** Adds a rule: the requests {@code applies} selects get {@code fault}; the first matching rule wins. */
    public void fail(Predicate<AwsRequest> applies, Fault fault) {
        rules.add(new Rule(Objects.requireNonNull(applies, "applies"), Objects.requireNonNull(fault, "fault")));
        rulesVersion.incrementAndGet();
    }

    /**
     * Makes Route 53 changes stay {@code PENDING}, as AWS reports them until they have reached every
     * Route 53 DNS server (emulators report {@code INSYNC} at once): the answers of {@code
     * ChangeResourceRecordSets} say {@code PENDING}, and so do the first {@code polls} answers of
     * {@code GetChange} (every one, for {@link Integer#MAX_VALUE}); later ones pass unchanged.
     */
    public void keepRoute53ChangesPending(int polls) {
        AtomicInteger answered = new AtomicInteger();
        java.util.function.UnaryOperator<String> pending =
                body -> body.replace("<Status>INSYNC</Status>", "<Status>PENDING</Status>");
        fail(request -> request.is("ChangeResourceRecordSets"), Fault.rewrite(pending));
        fail(request -> request.is("GetChange") && answered.getAndIncrement() < polls, Fault.rewrite(pending));
    }

    /**
     * Every request received since the start or the last {@link #clearRequests()}, in order, whether
     * forwarded or answered with a fault: what the client behind the proxy called.
     */
    public List<AwsRequest> requests() {
        return List.copyOf(seen);
    }

    public void clearRequests() {
        seen.clear();
    }

    /** Requests answered with a fault (not delays), per action. */
    public long faulted(String action) {
        LongAdder count = faulted.get(action);
        return count == null ? 0 : count.sum();
    }

    /** Requests forwarded to the emulator, per action. */
    public long forwarded(String action) {
        LongAdder count = forwarded.get(action);
        return count == null ? 0 : count.sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> parameters = formParameters(exchange, body);
            boolean json = exchange.getRequestHeaders().containsKey("X-Amz-Target"); // Action: see formParameters
            AwsRequest request = new AwsRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    parameters);
            seen.add(request);
            long version = rulesVersion.get();
            java.util.function.UnaryOperator<String> rewrite = null;
            for (Rule rule : rules) {
                if (!rule.applies().test(request)) {
                    continue;
                }
                if (rule.fault() instanceof Fault.Accept) {
                    faulted.computeIfAbsent(request.action(), key -> new LongAdder()).increment();
                    answerWithSuccess(exchange, request.action());
                    return;
                }
                if (rule.fault() instanceof Fault.Answer answer) {
                    faulted.computeIfAbsent(request.action(), key -> new LongAdder()).increment();
                    answerWithError(exchange, request, answer, json);
                    return;
                }
                if (rule.fault() instanceof Fault.Delay delay && !waitOut(delay.delay(), version)) {
                    return; // closing
                }
                if (rule.fault() instanceof Fault.Rewrite rewriting) {
                    rewrite = rewriting.body();
                }
                break;
            }
            if (!serialized) {
                forward(exchange, request, body, rewrite);
                return;
            }
            oneAtATime.lock();
            try {
                forward(exchange, request, body, rewrite);
            } finally {
                oneAtATime.unlock();
            }
        }
    }

    /** Sleeps {@code delay}, ending early when the rules change; false when interrupted. */
    private boolean waitOut(Duration delay, long version) {
        long until = System.nanoTime() + delay.toNanos();
        try {
            while (System.nanoTime() - until < 0 && rulesVersion.get() == version) {
                Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void forward(HttpExchange exchange, AwsRequest request, byte[] body,
            java.util.function.UnaryOperator<String> rewrite) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = upstream.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException e) {
            answerWithError(exchange, request, new Fault.Answer(502, "ProxyError", "fault injector could not reach "
                    + target + ": " + e), exchange.getRequestHeaders().containsKey("X-Amz-Target"));
            return;
        }
        forwarded.computeIfAbsent(request.action(), key -> new LongAdder()).increment();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        byte[] answer = response.body();
        if (rewrite != null) {
            answer = rewrite.apply(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
    }

    private void answerWithSuccess(HttpExchange exchange, String action) throws IOException {
        String requestId = "kawari-fault-" + requestIds.incrementAndGet();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response"
                + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + requestId + "</requestId>"
                + "<return>true</return></" + action + "Response>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void answerWithError(HttpExchange exchange, AwsRequest request, Fault.Answer answer, boolean json)
            throws IOException {
        String requestId = "kawari-fault-" + requestIds.incrementAndGet();
        if (json) {
            byte[] bytes = ("{\"__type\":\"" + answer.code() + "\",\"message\":\"" + answer.message().replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.code());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            return;
        }
        String xml = request.isRoute53()
                ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/"
                        + "2013-04-01/\"><Error><Type>Sender</Type><Code>" + answer.code() + "</Code><Message>"
                        + escape(answer.message()) + "</Message></Error><RequestId>" + requestId
                        + "</RequestId></ErrorResponse>"
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + answer.code()
                + "</Code><Message>" + escape(answer.message()) + "</Message></Error></Errors><RequestID>" + requestId
                + "</RequestID></Response>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, String> formParameters(HttpExchange exchange, byte[] body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        List<String> sources = new ArrayList<>();
        if (query != null) {
            sources.add(query);
        }
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            sources.add(new String(body, StandardCharsets.UTF_8));
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null && target.contains(".")) {
            parameters.put("Action", target.substring(target.lastIndexOf('.') + 1));
        }
        for (String source : sources) {
            for (String pair : source.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                parameters.put(name, value);
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        passAll();
        server.stop(0);
        executor.shutdownNow();
    }
}
