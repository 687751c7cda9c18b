package dev.kawari.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "maintenance", description = {
    "Turn maintenance mode of SERVICE on or off, cluster-wide: monitors paused on the holder and no",
    "automatic action (no takeover, no failover, no switchback) anywhere until it is off again."})
final class MaintenanceCommand implements Callable<Integer> {
    enum Mode { on, off }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Parameters(index = "1", paramLabel = "on|off")
    Mode mode;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the agent's admin file is")
    Path stateDir;

    @Option(names = "--node", paramLabel = "NAME", description = "ask the agent of this node (when several run here)")
    String node;

    @Override
    public Integer call() {
        AdminClient.find(AdminClient.stateDir(stateDir), node)
                .post("/maintenance", Map.of("service", service, "on", String.valueOf(mode == Mode.on)));
        spec.commandLine().getOut().println("kawari: maintenance of " + service + " " + mode);
        return ExitCode.OK;
    }
}
