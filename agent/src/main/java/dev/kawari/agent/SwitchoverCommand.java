package dev.kawari.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "switchover", description = {
    "Move SERVICE gracefully to NODE: the holder removes it top-down and hands the lease to NODE,",
    "which restores it. Asks the running agent on this machine; works from any node of the cluster."})
final class SwitchoverCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SERVICE")
    String service;

    @Option(names = "--to", required = true, paramLabel = "NODE")
    String to;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the agent's admin file is")
    Path stateDir;

    @Option(names = "--node", paramLabel = "NAME", description = "ask the agent of this node (when several run here)")
    String node;

    @Override
    public Integer call() {
        JsonNode lease = AdminClient.find(AdminClient.stateDir(stateDir), node)
                .post("/switchover", Map.of("service", service, "to", to));
        spec.commandLine().getOut().println("kawari: switchover of " + service + " to " + to + " requested (holder "
                + (lease.path("holder").asText().isEmpty() ? "(none)" : lease.path("holder").asText()) + ", epoch "
                + lease.path("epoch").asLong() + "); follow it with `kawari status`");
        return ExitCode.OK;
    }
}
