package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.ServiceRuntime;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.CheckResult;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One-shot actions without the daemon: what the Pacemaker, LifeKeeper and CLUSTERPRO adapters call.
 * The engine does not remember state between runs, so these rely on restore and remove being
 * idempotent.
 */
abstract class ActionCommand implements Callable<Integer> {
    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE[/RESOURCE]", description = "a service, or one resource of it")
    String target;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "HOCON configuration file")
    Path file;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "this node's name under kawari.nodes")
    String nodeName;

    @Option(names = "--event-log", paramLabel = "PATH", description = "append JSON-lines events here (default: kawari.event-log)")
    Path eventLog;

    ActionCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() {
        int slash = target.indexOf('/');
        String serviceName = slash < 0 ? target : target.substring(0, slash);
        List<String> resources = slash < 0 ? List.of() : List.of(target.substring(slash + 1));
        try (NodeSession session = NodeSession.open(engine, file, nodeName, Optional.ofNullable(eventLog))) {
            ServiceRuntime service = session.service(serviceName);
            for (String resource : resources) {
                if (service.tree().resource(resource).isEmpty()) {
                    var ids = service.tree().resources().stream().map(r -> r.id()).toList();
                    throw new UsageException("no resource '" + resource + "' in service '" + serviceName + "'"
                            + dev.kawari.engine.config.ClosestName.didYouMean(resource, ids)
                            + "; resources: " + String.join(", ", ids));
                }
            }
            return act(service, resources, spec.commandLine().getOut());
        }
    }

    abstract int act(ServiceRuntime service, List<String> resources, PrintWriter out);

    static int report(PrintWriter out, String service, TreeOutcome outcome) {
        out.println(service + ": " + outcome.action().id() + " " + (outcome.ok() ? "ok" : "FAILED") + " in "
                + outcome.duration().toMillis() + " ms" + (outcome.succeeded().isEmpty() ? "" : "; done: "
                + outcome.succeeded()));
        outcome.failures().forEach(failure -> out.println(service + "/" + failure));
        if (!outcome.skipped().isEmpty()) {
            out.println(service + ": not attempted: " + outcome.skipped());
        }
        if (!outcome.rolledBack().isEmpty()) {
            out.println(service + ": rolled back: " + outcome.rolledBack());
        }
        return outcome.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    @Command(name = "restore", description = "Bring a service (or one resource and what it needs) into service on this node.")
    static final class Restore extends ActionCommand {
        @Inject
        Restore(Engine engine) {
            super(engine);
        }

        @Override
        int act(ServiceRuntime service, List<String> resources, PrintWriter out) {
            return report(out, service.name(), service.restore(resources));
        }
    }

    @Command(name = "remove", description = "Take a service (or one resource and what depends on it) out of service on this node.")
    static final class Remove extends ActionCommand {
        @Inject
        Remove(Engine engine) {
            super(engine);
        }

        @Override
        int act(ServiceRuntime service, List<String> resources, PrintWriter out) {
            return report(out, service.name(), service.remove(resources));
        }
    }

    @Command(name = "check", description = {
        "Check a service's resources (or one resource) and run its monitors once.",
        "Exit 0 all healthy, 1 something unhealthy, 3 could not tell."})
    static final class Check extends ActionCommand {
        @Inject
        Check(Engine engine) {
            super(engine);
        }

        @Override
        int act(ServiceRuntime service, List<String> resources, PrintWriter out) {
            Map<String, CheckResult> results = service.checkOnce(resources);
            boolean unhealthy = false;
            boolean unknown = false;
            for (Map.Entry<String, CheckResult> result : results.entrySet()) {
                CheckResult answer = result.getValue();
                out.println(service.name() + "/" + result.getKey() + ": " + answer.status().name().toLowerCase()
                        + (answer.reason().isEmpty() ? "" : ": " + answer.reason()));
                switch (answer.status()) {
                    case HEALTHY -> { }
                    case UNHEALTHY -> unhealthy = true;
                    case UNKNOWN -> unknown = true;
                }
            }
            if (unhealthy) {
                return ExitCode.FAILED;
            }
            return unknown ? ExitCode.UNKNOWN : ExitCode.OK;
        }
    }
}
