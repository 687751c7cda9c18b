package dev.kawari.agent.cluster;

import dev.kawari.agent.Kawari;
import dev.kawari.agent.demo.EventLogTail;
import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.AwsFaultInjector;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Real {@code kawari run} agent processes (started from the test class path) of one cluster on this
 * machine, on the DynamoDB coordinator: moto_server's DynamoDB behind a proxy that serialises requests
 * ({@link AwsFaultInjector#serialize()}, which makes moto's conditional writes atomic as DynamoDB's
 * are), and in front of that one proxy per agent that the test can cut. Amazon's DynamoDB Local is
 * not used.
 *
 * <p>The service {@value #SERVICE} is one {@code exec} resource (a marker file per node) with an
 * {@code exec} monitor. Every agent process writes its own JSON-lines event log
 * ({@code events-NODE-N.jsonl}, N counting restarts), read by {@link InServiceChecker}.
 *
 * <p>Used by the chaos test ({@code ClusterChaosIT}) and the failover benchmark.
 */
public final class AgentCluster implements AutoCloseable {
    public static final String SERVICE = "svc";

    /** The coordinator timings. */
    public record Profile(String name, Duration lease, Duration safety, Duration renew, Duration poll,
            Duration takeoverMargin, Duration callTimeout) {
        /** The engine's defaults (CoordinatorSpec) and the coordinator's default call-timeout. */
        public static final Profile DEFAULT = new Profile("default", Duration.ofSeconds(10), Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2));
        /** The demo's short lease (examples/demo.conf), call-timeout below the safety margin. */
        public static final Profile FAST = new Profile("fast", Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(700));

        public Duration fenceAfter() {
            return lease.minus(safety);
        }

        public Duration takeoverAfter() {
            return lease.plus(takeoverMargin);
        }

        String hocon() {
            return "lease-duration = " + lease.toMillis() + "ms, safety-margin = " + safety.toMillis()
                    + "ms, renew-interval = " + renew.toMillis() + "ms, poll-interval = " + poll.toMillis()
                    + "ms, takeover-margin = " + takeoverMargin.toMillis() + "ms, call-timeout = "
                    + callTimeout.toMillis() + "ms";
        }

        @Override
        public String toString() {
            return name + " (lease " + lease.toMillis() + " ms, safety margin " + safety.toMillis() + " ms, renew "
                    + renew.toMillis() + " ms, poll " + poll.toMillis() + " ms, takeover margin "
                    + takeoverMargin.toMillis() + " ms)";
        }
    }

    private final Path dir;
    private final Profile profile;
    private final AwsFaultInjector serializer;
    private final Map<String, Agent> agents = new LinkedHashMap<>();

    private AgentCluster(Path dir, Profile profile, AwsFaultInjector serializer) {
        this.dir = dir;
        this.profile = profile;
        this.serializer = serializer;
    }

    /**
     * Writes one configuration per node (they differ only in the DynamoDB endpoint: the node's own
     * proxy) and creates the table with {@code kawari coordinator create-table}. Starts no agent.
     *
     * @param nodes node names, in priority order
     * @param monitorInterval the monitor's interval (failure threshold 2), or null for the defaults
     */
    public static AgentCluster create(AwsEndpoint endpoint, Path dir, String cluster, Profile profile, List<String> nodes,
            Duration monitorInterval) throws IOException {
        Files.createDirectories(dir);
        AwsFaultInjector serializer = AwsFaultInjector.start(endpoint.uri()).serialize();
        AgentCluster agents = new AgentCluster(dir, profile, serializer);
        try {
            StringBuilder nodeBlock = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                nodeBlock.append(nodes.get(i)).append(" { priority = ").append(i + 1).append(" }\n");
            }
            for (String node : nodes) {
                AwsFaultInjector link = AwsFaultInjector.start(serializer.uri());
                Path marker = dir.resolve("serving-" + node);
                String at = "\"" + link.uri() + "\"";
                String text = """
                        kawari {
                          cluster = "%s"
                          nodes {
                        %s  }
                          aws { region = "%s", endpoints { dynamodb = %s } }
                          coordinator { type = dynamodb, table = kawari-leases, %s }
                          services.%s {
                            resources.marker { type = exec, start = [touch, "%s"], stop = [rm, -f, "%7$s"],
                                               check = [test, -e, "%7$s"] }
                            monitors.marker { type = exec, target = marker, command = [test, -e, "%7$s"]%s }
                          }
                        }
                        """.formatted(cluster, nodeBlock, endpoint.region(), at, profile.hocon(), SERVICE, marker,
                        monitorInterval == null ? "" : ", interval = " + monitorInterval.toMillis()
                                + "ms, failure-threshold = 2");
                Path file = dir.resolve(node + ".conf");
                Files.writeString(file, text);
                agents.agents.put(node, new Agent(agents, node, file, link, endpoint));
            }
            StringWriter output = new StringWriter();
            int code = Kawari.execute(new String[] {"coordinator", "create-table",
                agents.agents.values().iterator().next().config.toString()}, new PrintWriter(output), new PrintWriter(output));
            if (code != 0) {
                throw new IllegalStateException("kawari coordinator create-table failed (" + code + "): " + output);
            }
            return agents;
        } catch (IOException | RuntimeException e) {
            agents.close();
            throw e;
        }
    }

    public Profile profile() {
        return profile;
    }

    public Path dir() {
        return dir;
    }

    public Agent agent(String node) {
        Agent agent = agents.get(node);
        if (agent == null) {
            throw new IllegalArgumentException("no agent " + node);
        }
        return agent;
    }

    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    /**
     * The class path the agents run from: the test JVM's, or under {@code exec:java} (where
     * {@code java.class.path} is Maven's own) the URLs of the class loader that loaded this class.
     */
    static String classpath() {
        ClassLoader loader = AgentCluster.class.getClassLoader();
        if (loader instanceof java.net.URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : urls.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("not a file on the class path: " + url, e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    /** Reads what every agent process appended to its event log since the last call. */
    public void poll() {
        for (Agent agent : agents.values()) {
            agent.poll();
        }
    }

    /** Every agent process's complete event log, read from the files, with its frozen windows. */
    public List<InServiceChecker.AgentLog> logs() {
        List<InServiceChecker.AgentLog> logs = new ArrayList<>();
        for (Agent agent : agents.values()) {
            for (Incarnation run : agent.runs) {
                logs.add(new InServiceChecker.AgentLog(run.name, agent.node, AgentEvent.readAll(run.log), run.frozen));
            }
        }
        return logs;
    }

    /** The first event of any agent process of another node than {@code except} matching {@code wanted} after {@code after}. */
    public Optional<AgentEvent> first(long after, String except, Predicate<AgentEvent> wanted) {
        poll();
        AgentEvent best = null;
        for (Agent agent : agents.values()) {
            if (agent.node.equals(except)) {
                continue;
            }
            for (Incarnation run : agent.runs) {
                for (AgentEvent event : run.events) {
                    if (event.nanos() > after && wanted.test(event) && (best == null || event.nanos() < best.nanos())) {
                        best = event;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Waits for {@link #first}; throws with the agents' state on time-out. */
    public AgentEvent await(long after, String except, Predicate<AgentEvent> wanted, Duration timeout, String what)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<AgentEvent> found = first(after, except, wanted);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms\n" + describe());
            }
            Thread.sleep(20);
        }
    }

    /** The cluster at rest: exactly one running agent serving (IN_SERVICE, then healthy), every other running one watching it. */
    public record Steady(String holder, long epoch, long nanos) {
    }

    /**
     * Waits until the cluster is at rest as {@link Steady} says and still is a moment later (event logs
     * are written asynchronously), and returns when it first was.
     */
    public Steady awaitSteady(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        Steady candidate = null;
        while (System.nanoTime() - until < 0) {
            poll();
            Optional<Steady> now = steadyNow();
            if (now.isEmpty()) {
                candidate = null;
            } else if (candidate == null || !candidate.holder().equals(now.get().holder())
                    || candidate.epoch() != now.get().epoch()) {
                candidate = now.get();
            } else if (System.nanoTime() - candidate.nanos() > TimeUnit.MILLISECONDS.toNanos(300)) {
                return candidate;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the cluster did not come to rest (exactly one node serving and healthy, every"
                + " other running agent watching it) within " + timeout.toMillis() + " ms\n" + describe());
    }

    private Optional<Steady> steadyNow() {
        List<Agent> running = agents.values().stream().filter(Agent::running).toList();
        List<Agent> serving = running.stream().filter(agent -> agent.current().servingHealthy()).toList();
        if (serving.size() != 1) {
            return Optional.empty();
        }
        Agent holder = serving.get(0);
        for (Agent other : running) {
            if (other != holder && (other.current().holding() || !other.current().watching().equals(holder.node))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Steady(holder.node, holder.current().epoch, System.nanoTime()));
    }

    /** Each agent's last few events, for failure messages. */
    public String describe() {
        poll();
        StringBuilder text = new StringBuilder();
        for (Agent agent : agents.values()) {
            text.append(agent.node).append(": ").append(agent.running() ? "running" : agent.process == null ? "not started"
                    : agent.frozen ? "FROZEN" : "exited").append(", output ").append(agent.current() == null ? "-"
                    : agent.current().output).append('\n');
            if (agent.current() != null) {
                List<AgentEvent> events = agent.current().events.stream()
                        .filter(event -> !event.is("LEASE", "renewed") && !event.kind().equals("NOTE")).toList();
                for (AgentEvent event : events.subList(Math.max(0, events.size() - 20), events.size())) {
                    text.append("    ").append(event).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** SIGTERM to every agent (standbys first, so that none takes over the holder's freed lease) and waits. */
    public void stopAll() throws InterruptedException {
        poll();
        List<Agent> order = new ArrayList<>(agents.values());
        order.sort((a, b) -> Boolean.compare(a.running() && a.current().holding(), b.running() && b.current().holding()));
        for (Agent agent : order) {
            agent.terminate();
        }
    }

    @Override
    public void close() {
        for (Agent agent : agents.values()) {
            agent.destroy();
        }
        for (Agent agent : agents.values()) {
            agent.link.close();
        }
        serializer.close();
    }

    /** One run of an agent process: its event log and what it showed so far. */
    static final class Incarnation {
        final String name;
        final Path log;
        final Path output;
        final EventLogTail tail;
        final List<AgentEvent> events = new ArrayList<>();
        final List<InServiceChecker.Frozen> frozen = new ArrayList<>();
        // live view, replayed from events
        boolean open;
        long epoch;
        long servingFrom = -1;
        boolean healthy;
        String watching = "";

        Incarnation(String name, Path log, Path output) {
            this.name = name;
            this.log = log;
            this.output = output;
            this.tail = new EventLogTail(log);
        }

        void add(AgentEvent event) {
            events.add(event);
            if (!event.service().equals(SERVICE)) {
                return;
            }
            if (event.is("LEASE", "acquired")) {
                open = true;
                epoch = event.epoch();
                servingFrom = -1;
                healthy = false;
            } else if (event.is("LEASE", "watching")) {
                watching = event.detail("holder");
            } else if (event.is("SERVICE_STATE", "IN_SERVICE") && open) {
                servingFrom = event.nanos();
            } else if (event.kind().equals("SERVICE_STATE") && !event.outcome().equals("IN_SERVICE")) {
                servingFrom = -1;
                healthy = false;
                if (event.outcome().equals("OUT_OF_SERVICE")) {
                    open = false;
                }
            } else if (event.is("CHECK", "healthy") && servingFrom >= 0) {
                healthy = true;
            } else if (event.kind().equals("LEASE") && (event.outcome().equals("fenced")
                    || event.outcome().equals("fencing") || event.outcome().equals("leaving"))) {
                healthy = false;
            }
        }

        boolean holding() {
            return open;
        }

        boolean servingHealthy() {
            return open && servingFrom >= 0 && healthy;
        }

        String watching() {
            return watching;
        }
    }

    /** One node's agent: started, killed, paused and cut off by the test. */
    public static final class Agent {
        private final AgentCluster cluster;
        private final String node;
        private final Path config;
        private final AwsFaultInjector link;
        private final AwsEndpoint endpoint;
        private final List<Incarnation> runs = new ArrayList<>();
        private Process process;
        private boolean frozen;
        private long frozenSince;

        Agent(AgentCluster cluster, String node, Path config, AwsFaultInjector link, AwsEndpoint endpoint) {
            this.cluster = cluster;
            this.node = node;
            this.config = config;
            this.link = link;
            this.endpoint = endpoint;
        }

        public String node() {
            return node;
        }

        public Path config() {
            return config;
        }

        Incarnation current() {
            return runs.isEmpty() ? null : runs.get(runs.size() - 1);
        }

        /** The current process's events read so far. */
        public List<AgentEvent> events() {
            poll();
            return current() == null ? List.of() : List.copyOf(current().events);
        }

        public boolean running() {
            return process != null && process.isAlive() && !frozen;
        }

        /** Starts a new agent process ({@code kawari run}) with its own event log. */
        public void start() throws IOException {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(node + " is running");
            }
            int n = runs.size() + 1;
            Incarnation run = new Incarnation(node + "#" + n, cluster.dir.resolve("events-" + node + "-" + n + ".jsonl"),
                    cluster.dir.resolve(node + "-" + n + ".out"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto", "-Xmx256m",
                    "-Daws.accessKeyId=" + endpoint.accessKeyId(), "-Daws.secretAccessKey=" + endpoint.secretAccessKey(),
                    "-Daws.region=" + endpoint.region(),
                    "-cp", classpath(), Kawari.class.getName(), "run", config.toString(),
                    "--node", node, "--event-log", run.log.toString(),
                    "--state-dir", cluster.dir.resolve("state").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(run.output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("AWS_EC2_METADATA_DISABLED", "true"); // never ask 169.254.169.254
            runs.add(run);
            process = builder.start();
            frozen = false;
        }

        /** kill -9 of the agent process. */
        public void kill() throws InterruptedException {
            if (process != null) {
                process.destroyForcibly(); // SIGKILL
                process.waitFor(20, TimeUnit.SECONDS);
                frozen = false;
            }
        }

        /** SIGSTOP: the whole JVM stops, as a paused machine. */
        public void pause() throws IOException, InterruptedException {
            signal("-STOP");
            frozen = true;
            frozenSince = System.nanoTime();
        }

        /** SIGCONT, and remembers the frozen window for the checker. */
        public void resume() throws IOException, InterruptedException {
            long from = frozenSince;
            signal("-CONT");
            frozen = false;
            current().frozen.add(new InServiceChecker.Frozen(from, System.nanoTime()));
        }

        private void signal(String signal) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes());
            if (kill.waitFor() != 0) {
                throw new IOException("kill " + signal + " " + process.pid() + " failed: " + out);
            }
        }

        /** Cuts the agent off the coordinator: every request refused at once (HTTP 503). */
        public void refuse() {
            link.cutOff();
        }

        /** Cuts the agent off the coordinator: every request hangs (until {@link #heal()}, or the client's time-out). */
        public void stall() {
            link.slowAll(Duration.ofMinutes(10));
        }

        /** Reconnects the agent: requests pass again (stalled ones go on). */
        public void heal() {
            link.passAll();
        }

        /** SIGTERM and wait: the agent removes what it runs and frees its leases. */
        public void terminate() throws InterruptedException {
            if (process != null && process.isAlive()) {
                if (frozen) {
                    try {
                        resume();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(node + " did not stop within 60 s of SIGTERM; see " + current().output);
                }
            }
        }

        void destroy() {
            if (process != null && process.isAlive()) {
                if (frozen) {
                    try {
                        signal("-CONT");
                    } catch (IOException | InterruptedException e) {
                        // destroyed below anyway
                    }
                }
                process.destroyForcibly();
            }
        }

        void poll() {
            Incarnation run = current();
            if (run == null) {
                return;
            }
            try {
                for (var line : run.tail.poll()) {
                    run.add(AgentEvent.of(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                // a line cut short by kill -9 cannot be parsed; the rest of the log is read by logs()
            }
        }
    }
}
