package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.cluster.ClusterNode;
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
    "With a kawari.coordinator block, the node joins the cluster: it restores a service only while it",
    "holds the service's lease, stands by otherwise, and serves `kawari status`, `switchover` and",
    "`maintenance` on a loopback admin endpoint (token in <state-dir>/<node>.admin, owner-only).",
    "Without one, every service runs here and a service that cannot be kept is left FAILED."})
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

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where to write the admin file (default: $KAWARI_STATE_DIR or " + AdminClient.DEFAULT_STATE_DIR + ")")
    Path stateDir;

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
            if (session.config().coordinator().isPresent()) {
                return runInCluster(session, out, stop);
            }
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

    private int runInCluster(NodeSession session, PrintWriter out, CountDownLatch stop) throws InterruptedException {
        try (ClusterNode cluster = new ClusterNode(session.node(), engine.events(), engine.time());
                AdminServer admin = AdminServer.start(cluster, AdminClient.stateDir(stateDir))) {
            cluster.start();
            out.println("kawari: node " + nodeName + " running in cluster " + session.config().cluster() + " on "
                    + session.config().coordinator().get().instance().describe() + "; admin on 127.0.0.1:"
                    + admin.port() + "; SIGTERM or Ctrl-C removes what runs here, frees its leases and exits");
            out.flush();
            stop.await();
            out.println("kawari: stopping: removing the services held here and freeing their leases");
            out.flush();
            Map<String, TreeOutcome> removed = cluster.stop();
            report(out, "remove", removed);
            return removed.values().stream().allMatch(TreeOutcome::ok) ? ExitCode.OK : ExitCode.FAILED;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start the admin endpoint: " + e.getMessage(), e);
        }
    }

    static void report(PrintWriter out, String what, Map<String, TreeOutcome> outcomes) {
        outcomes.forEach((service, outcome) -> out.println("kawari: " + what + " " + service + ": "
                + (outcome.ok() ? "ok" : "FAILED " + outcome.failures()) + " in " + outcome.duration().toMillis() + " ms"));
        out.flush();
    }
}
