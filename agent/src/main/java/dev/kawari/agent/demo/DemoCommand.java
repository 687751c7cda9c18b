package dev.kawari.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.kawari.agent.ExitCode;
import dev.kawari.agent.Kawari;
import dev.kawari.engine.Engine;
import dev.kawari.engine.config.KawariConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
    "Run the local two-node demo (no AWS account): two agents on this machine share the embedded",
    "coordinator; node-a restores a small web site, node-b stands by. The demo crashes node-a (kill -9",
    "of its agent and its web server) and prints the failover timeline: lease takeover by node-b under",
    "the next epoch, restore, healthy, with durations. Its configuration is examples/demo.conf."})
public final class DemoCommand implements Callable<Integer> {
    static final String CONFIG = "dev/kawari/agent/demo/demo.conf";
    private static final String SERVICE = "website";

    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--keep", description = "keep the demo's directory (event logs, agent output) afterwards")
    boolean keep;

    @Option(names = "--deadline", defaultValue = "90s", paramLabel = "DURATION",
            description = "give up (exit 1) if the demo has not finished by then (default: ${DEFAULT-VALUE})")
    String deadline;

    @Inject
    DemoCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration budget = ConfigFactory.parseString("d = " + deadline).getDuration("d");
        Path dir = Files.createTempDirectory("kawari-demo-");
        int port = freeLoopbackPort();
        Path config = writeConfig(dir, port);
        List<Agent> agents = new ArrayList<>();
        try {
            out.println("Kawari two-node demo: service '" + SERVICE + "' = web server on http://127.0.0.1:" + port
                    + "/ (resource 'web') that needs its content directory (resource 'content'),");
            out.println("monitored every second. Nodes node-a (priority 1) and node-b (priority 2) are two agents on"
                    + " this machine");
            out.println("sharing the embedded coordinator; lease 3 s, safety margin 1 s, takeover margin 0.5 s."
                    + " No AWS account needed. Directory: " + dir);
            out.println();
            return script(dir, config, agents, out, System.nanoTime() + budget.toNanos());
        } finally {
            for (Agent agent : agents) {
                agent.kill();
            }
            stopWebServer(dir);
            if (!keep) {
                deleteTree(dir);
            } else {
                out.println("Kept " + dir + " (events-node-*.jsonl, node-*.out, kawari.conf).");
            }
            out.flush();
        }
    }

    private int script(Path dir, Path config, List<Agent> agents, PrintWriter out, long until) throws Exception {
        try (KawariConfig loaded = engine.configs().load(config)) {
            out.println("0. kawari coordinator create-table: " + loaded.coordinator().orElseThrow().instance().prepare());
        }
        Agent a = new Agent("node-a", dir, config);
        agents.add(a);
        out.println("1. Start node-a's agent; it takes the lease and restores the site.");
        a.start();
        JsonNode healthyA = a.await(e -> is(e, "CHECK", "healthy"), until, "node-a to serve the site");
        out.printf("   node-a in service under epoch %d.%n", healthyA.path("epoch").asLong());
        Agent b = new Agent("node-b", dir, config);
        agents.add(b);
        out.println("2. Start node-b's agent; it stands by and watches the lease.");
        b.start();
        b.await(e -> is(e, "LEASE", "watching"), until, "node-b to stand by");
        awaitAlive(dir, b, until);
        out.println();
        out.println(status(dir, "node-b"));

        out.println("3. Crash node-a: kill -9 its agent (pid " + a.pid() + ") and the web server it started.");
        long killedAt = System.nanoTime();
        a.kill();
        stopWebServer(dir);
        out.println();
        out.println("   time since the crash, from both agents' event logs:");
        Timeline timeline = new Timeline(out, killedAt);
        JsonNode acquired = b.await(e -> is(e, "LEASE", "acquired"), until, "node-b to take the lease", timeline);
        JsonNode inService = b.await(e -> is(e, "SERVICE_STATE", "IN_SERVICE"), until, "node-b to restore", timeline);
        JsonNode healthy = b.await(e -> is(e, "CHECK", "healthy"), until, "node-b's monitor to see it healthy",
                timeline);
        out.println();
        out.println(status(dir, "node-b"));

        double detection = seconds(acquired.path("nanos").asLong() - killedAt);
        double restore = seconds(inService.path("nanos").asLong() - acquired.path("nanos").asLong());
        double toHealthy = seconds(healthy.path("nanos").asLong() - killedAt);
        out.printf("Failover: lease taken over %.2f s after the crash (lease 3 s + margin 0.5 s, watched on node-b's"
                        + " own clock), restored in %.2f s, healthy %.2f s after the crash, epoch %d -> %d.%n",
                detection, restore, toHealthy, healthyA.path("epoch").asLong(), acquired.path("epoch").asLong());

        out.println("4. Stop node-b's agent (SIGTERM): it removes the site top-down and frees the lease.");
        b.terminate();
        if (!b.process.waitFor(30, TimeUnit.SECONDS) || b.process.exitValue() != 0) {
            out.println("Demo failed: node-b did not stop cleanly; see " + b.output);
            return ExitCode.FAILED;
        }
        for (JsonNode event : b.tail.poll()) {
            timeline.show(event, b.name);
        }
        out.println();
        out.println("Stopped cleanly.");
        return ExitCode.OK;
    }

    private static boolean is(JsonNode event, String kind, String outcome) {
        return event.path("kind").asText().equals(kind) && event.path("outcome").asText().equals(outcome)
                && (!kind.equals("CHECK") || event.path("subject").asText().equals("http"));
    }

    private void awaitAlive(Path dir, Agent agent, long until) throws InterruptedException {
        while (System.nanoTime() < until) {
            if (Files.exists(dir.resolve("state").resolve(agent.name + ".admin"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the demo gave up waiting for " + agent.name + "'s admin endpoint");
    }

    private static String status(Path dir, String node) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        int code = Kawari.execute(new String[] {"status", "--state-dir", dir.resolve("state").toString(), "--node", node},
                out, out);
        out.flush();
        StringBuilder indented = new StringBuilder("   $ kawari status --node " + node + "\n");
        for (String line : text.toString().split("\n")) {
            if (!line.startsWith("  | ")) {
                indented.append("   ").append(line).append('\n');
            }
        }
        return code == 0 ? indented.toString() : indented + "   (status failed with exit code " + code + ")\n";
    }

    private static Path writeConfig(Path dir, int port) throws IOException {
        String text;
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(CONFIG)) {
            if (in == null) {
                throw new IllegalStateException(CONFIG + " is missing from the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        text += "\n# Set by kawari demo for this run:\n"
                + "demo.dir = " + quote(dir.toString()) + "\n"
                + "demo.port = \"" + port + "\"\n"
                + "demo.java = " + quote(java) + "\n"
                + "demo.classpath = " + quote(System.getProperty("java.class.path")) + "\n";
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, text);
        return file;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void stopWebServer(Path dir) {
        try {
            Path pid = DemoWebServer.pidFile(dir);
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(server -> {
                    server.destroyForcibly();
                    server.onExit().join();
                });
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("kawari demo: cannot stop the web server: " + e.getMessage());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("kawari demo: could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** One agent process: {@code kawari run kawari.conf --node NAME}, its own event log and output. */
    private static final class Agent {
        final String name;
        final Path dir;
        final Path config;
        final Path output;
        final EventLogTail tail;
        final List<JsonNode> seen = new ArrayList<>();
        Process process;

        Agent(String name, Path dir, Path config) {
            this.name = name;
            this.dir = dir;
            this.config = config;
            this.output = dir.resolve(name + ".out");
            this.tail = new EventLogTail(dir.resolve("events-" + name + ".jsonl"));
        }

        void start() throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            process = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), Kawari.class.getName(), "run", config.toString(),
                    "--node", name, "--event-log", dir.resolve("events-" + name + ".jsonl").toString(),
                    "--state-dir", dir.resolve("state").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        }

        long pid() {
            return process.pid();
        }

        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void terminate() {
            process.destroy();
        }

        JsonNode await(Predicate<JsonNode> wanted, long until, String what) throws Exception {
            return await(wanted, until, what, null);
        }

        JsonNode await(Predicate<JsonNode> wanted, long until, String what, Timeline timeline) throws Exception {
            int checked = 0;
            while (true) {
                for (JsonNode event : tail.poll()) {
                    seen.add(event);
                    if (timeline != null) {
                        timeline.show(event, name);
                    }
                }
                for (; checked < seen.size(); checked++) {
                    if (wanted.test(seen.get(checked))) {
                        JsonNode found = seen.get(checked);
                        seen.subList(0, checked + 1).clear();
                        return found;
                    }
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the demo gave up waiting for " + what + "; see " + output);
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + "'s agent exited with " + process.exitValue()
                            + " while the demo waited for " + what + "; see " + output);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Prints the events a person wants to see, with seconds since the crash. */
    private static final class Timeline {
        private final PrintWriter out;
        private final long startNanos;

        Timeline(PrintWriter out, long startNanos) {
            this.out = out;
            this.startNanos = startNanos;
        }

        void show(JsonNode event, String node) {
            line(event).ifPresent(text -> {
                String where = event.path("service").asText() + (event.path("subject").asText().isEmpty() ? ""
                        : "/" + event.path("subject").asText());
                out.printf("  %6.2fs  %-7s %-16s %s%n", seconds(event.path("nanos").asLong() - startNanos), node,
                        where, text);
                out.flush();
            });
        }

        private static Optional<String> line(JsonNode event) {
            String took = event.has("duration_ms") ? " (" + Math.round(event.path("duration_ms").asDouble()) + " ms)" : "";
            String outcome = event.path("outcome").asText();
            String action = event.path("details").path("action").asText("action");
            return switch (event.path("kind").asText()) {
                case "SERVICE_STATE" -> Optional.of("service " + outcome);
                case "ACTION" -> action.equals("check") ? Optional.empty()
                        : Optional.of(action + " " + outcome + took + (outcome.equals("ok") ? "" : ": "
                                + event.path("message").asText()));
                case "CHECK" -> Optional.of("monitor says " + outcome);
                case "LEASE" -> outcome.equals("renewed") ? Optional.empty()
                        : Optional.of("LEASE " + outcome.toUpperCase() + " (epoch " + event.path("epoch").asLong() + "): "
                                + event.path("message").asText());
                case "MONITOR_FAILED", "RECOVERY", "FAILOVER_REQUESTED", "ADMIN" ->
                        Optional.of(event.path("kind").asText().toLowerCase().replace('_', ' ') + " " + outcome + ": "
                                + event.path("message").asText());
                default -> Optional.empty();
            };
        }
    }
}
