package dev.kawari.agent.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.agent.ExitCode;
import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.tree.TreeOutcome;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
    "Run the local demo (no AWS account): restore a small web site made of exec resources, kill its",
    "server, watch the monitor detect it and the engine recover it locally, then stop cleanly.",
    "Its configuration is examples/demo.conf."})
public final class DemoCommand implements Callable<Integer> {
    static final String CONFIG = "dev/kawari/agent/demo/demo.conf";
    private static final String SERVICE = "website";

    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--keep", description = "keep the demo's directory (event log, server log) afterwards")
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
        quietEngineLog();
        Timeline timeline = new Timeline(out, engine.time().nanoTime());
        try (KawariConfig config = engine.configs().loadResource(CONFIG, DemoCommand.class.getClassLoader(),
                        overrides(dir, port));
                AutoCloseable subscription = engine.events().subscribe(timeline::onEvent);
                LocalNode node = engine.startNode(config, "demo-node")) {
            out.println("Kawari demo: service '" + SERVICE + "' = web server on http://127.0.0.1:" + port
                    + "/ (resource 'web') that needs its content directory (resource 'content'),");
            out.println("watched by monitor 'http' every second. No AWS account needed. Working directory: " + dir);
            out.println();
            return script(node, dir, timeline, out, budget);
        } finally {
            if (!keep) {
                deleteTree(dir);
            } else {
                out.println("Kept " + dir + " (events.jsonl, web.log).");
            }
            out.flush();
        }
    }

    private int script(LocalNode node, Path dir, Timeline timeline, PrintWriter out, Duration budget)
            throws Exception {
        long until = System.nanoTime() + budget.toNanos();
        timeline.say("1. Restore the service (bottom-up: content, then web).");
        TreeOutcome restored = node.restoreAll().get(SERVICE);
        if (!restored.ok()) {
            out.println("Demo failed: restore did not succeed: " + restored.failures());
            return ExitCode.FAILED;
        }
        node.startMonitors();
        timeline.await(e -> isMonitor(e, EventKind.CHECK) && e.outcome().equals("healthy"), until, "a healthy check");

        long pid = Long.parseLong(Files.readString(DemoWebServer.pidFile(dir)).trim());
        timeline.say("2. Break it: kill -9 the web server (pid " + pid + ").");
        long killedAt = engine.time().nanoTime();
        ProcessHandle.of(pid).ifPresent(server -> {
            server.destroyForcibly();
            server.onExit().join();
        });

        Event failed = timeline.await(e -> isMonitor(e, EventKind.MONITOR_FAILED), until, "the monitor to detect the failure");
        Event recovered = timeline.await(e -> e.kind() == EventKind.RECOVERY && !e.outcome().equals("started"),
                until, "the local recovery to finish");
        if (!recovered.outcome().equals("ok")) {
            out.println("Demo failed: local recovery did not succeed: " + recovered.message());
            return ExitCode.FAILED;
        }
        Event healthy = timeline.await(e -> isMonitor(e, EventKind.CHECK) && e.outcome().equals("healthy"), until,
                "the monitor to see the service healthy again");

        timeline.say("3. Stop: remove everything top-down (web, then content).");
        TreeOutcome removed = node.removeAll().get(SERVICE);
        if (!removed.ok()) {
            out.println("Demo failed: remove did not succeed: " + removed.failures());
            return ExitCode.FAILED;
        }
        out.println();
        out.printf("Detected %.1f s after the kill (monitor interval 1 s, threshold 2), recovered locally in %.1f s,"
                        + " healthy again %.1f s after the kill; no failover needed. Stopped cleanly.%n",
                seconds(failed.monotonicNanos() - killedAt), seconds(recovered.duration().orElse(Duration.ZERO).toNanos()),
                seconds(healthy.monotonicNanos() - killedAt));
        return ExitCode.OK;
    }

    private static boolean isMonitor(Event event, EventKind kind) {
        return event.kind() == kind && event.subject().equals("http");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Config overrides(Path dir, int port) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return ConfigFactory.parseMap(Map.of(
                "demo.dir", dir.toString(),
                "demo.port", String.valueOf(port),
                "demo.java", java,
                "demo.classpath", System.getProperty("java.class.path")), "kawari demo");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The demo prints its own timeline; the engine's INFO log lines would repeat it. */
    private static void quietEngineLog() {
        if (org.slf4j.LoggerFactory.getLogger("dev.kawari.events") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
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

    /** Prints the events a person wants to see, with seconds since the demo started. */
    private static final class Timeline {
        private final PrintWriter out;
        private final long startNanos;
        private final BlockingQueue<Event> seen = new LinkedBlockingQueue<>();

        Timeline(PrintWriter out, long startNanos) {
            this.out = out;
            this.startNanos = startNanos;
        }

        void say(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        void onEvent(Event event) {
            seen.add(event);
            line(event).ifPresent(text -> say(String.format("  %6.2fs  %-16s %s", seconds(event.monotonicNanos() - startNanos),
                    event.where(), text)));
        }

        private static Optional<String> line(Event event) {
            String took = event.duration().map(d -> " (" + d.toMillis() + " ms)").orElse("");
            return switch (event.kind()) {
                case SERVICE_STATE -> Optional.of("service " + event.outcome());
                case ACTION -> event.details().getOrDefault("action", "").equals("check") ? Optional.empty()
                        : Optional.of(event.details().getOrDefault("action", "action") + " " + event.outcome() + took
                                + (event.outcome().equals("ok") ? "" : ": " + event.message()));
                case CHECK -> Optional.of("monitor says " + event.outcome()
                        + (event.outcome().equals("healthy") ? "" : ": " + event.message()));
                case MONITOR_FAILED -> Optional.of("monitor failed " + event.details().get("decision").toLowerCase()
                        .replace('_', ' ') + ": " + event.message());
                case RECOVERY -> Optional.of("local recovery " + event.outcome() + took);
                case FAILOVER_REQUESTED -> Optional.of("FAILOVER REQUESTED: " + event.message());
                case RESOURCE_STATE, NOTE -> Optional.empty();
            };
        }

        Event await(Predicate<Event> wanted, long untilNanos, String what) throws InterruptedException {
            while (true) {
                long left = untilNanos - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("the demo gave up waiting for " + what);
                }
                Event next = seen.poll(left, TimeUnit.NANOSECONDS);
                if (next != null && wanted.test(next)) {
                    return next;
                }
            }
        }
    }
}
