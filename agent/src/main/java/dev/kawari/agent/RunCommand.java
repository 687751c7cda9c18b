package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.tree.TreeOutcome;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = {
    "Run the node: check the configuration against the world (kits' verify), restore every service,",
    "monitor it, recover locally, and on SIGTERM or Ctrl-C",
    "remove everything top-down and exit 0.",
    "Single node for now: a service that cannot be kept here is marked FAILED and a",
    "'failover requested' event is recorded."})
final class RunCommand implements Callable<Integer> {
    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "HOCON configuration file")
    Path file;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "this node's name under kawari.nodes")
    String nodeName;

    @Option(names = "--event-log", paramLabel = "PATH", description = "append JSON-lines events here (default: kawari.event-log)")
    Path eventLog;

    @Inject
    RunCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        try (NodeSession session = NodeSession.open(engine, file, nodeName, Optional.ofNullable(eventLog));
                StopSignals signals = StopSignals.install(stop::countDown)) {
            session.node().verify();
            report(out, "restore", session.node().restoreAll());
            session.node().startMonitors();
            out.println("kawari: node " + nodeName + " running; SIGTERM or Ctrl-C removes every service and exits");
            out.flush();
            stop.await();
            out.println("kawari: stopping: removing every service");
            out.flush();
            Map<String, TreeOutcome> removed = session.node().removeAll();
            report(out, "remove", removed);
            return removed.values().stream().allMatch(TreeOutcome::ok) ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    static void report(PrintWriter out, String what, Map<String, TreeOutcome> outcomes) {
        outcomes.forEach((service, outcome) -> out.println("kawari: " + what + " " + service + ": "
                + (outcome.ok() ? "ok" : "FAILED " + outcome.failures()) + " in " + outcome.duration().toMillis() + " ms"));
        out.flush();
    }
}
