package dev.kawari.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = {
    "Show what the running agent on this machine knows: every node (alive, last heartbeat as seen",
    "here) and every service (holder, epoch, maintenance, this node's role and resource states,",
    "latest events). Reads the agent's admin endpoint (loopback, token file)."})
final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the agent's answer as JSON")
    boolean json;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the agent's admin file is (default: $KAWARI_STATE_DIR or "
            + AdminClient.DEFAULT_STATE_DIR + ")")
    Path stateDir;

    @Option(names = "--node", paramLabel = "NAME", description = "the agent of this node (when several run here)")
    String node;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode status = AdminClient.find(AdminClient.stateDir(stateDir), node).get("/status");
        if (json) {
            out.println(AdminServer.JSON.writeValueAsString(status));
            return ExitCode.OK;
        }
        out.println("node " + status.path("node").asText() + " (" + status.path("coordinator").asText() + ")");
        out.println();
        out.printf("%-16s %-6s %-16s %s%n", "NODE", "ALIVE", "LAST HEARTBEAT", "PRIORITY");
        for (JsonNode n : status.path("nodes")) {
            long ago = n.path("lastHeartbeatMillisAgo").asLong();
            boolean undecided = n.path("undecided").asBoolean();
            out.printf("%-16s %-6s %-16s %d%n", n.path("name").asText(),
                    n.path("alive").asBoolean() ? "yes" : undecided ? "?" : "NO",
                    ago >= 0 ? String.format("%.1f s ago", ago / 1000.0) : undecided ? "watching" : "never",
                    n.path("priority").asInt());
        }
        for (JsonNode s : status.path("services")) {
            out.println();
            String holder = s.path("holder").asText();
            out.printf("service %s: holder %s, epoch %d%s%s; here: %s, %s%n", s.path("name").asText(),
                    holder.isEmpty() ? "(none)" : holder, s.path("epoch").asLong(),
                    s.path("maintenance").asBoolean() ? ", MAINTENANCE" : "",
                    s.path("successor").asText().isEmpty() ? "" : ", hand-over to " + s.path("successor").asText(),
                    s.path("role").asText(), s.path("state").asText());
            s.path("resources").fields().forEachRemaining(r -> out.printf("  %-20s %s%n", r.getKey(), r.getValue().asText()));
            for (JsonNode line : s.path("lastEvents")) {
                out.println("  | " + line.asText());
            }
        }
        return ExitCode.OK;
    }
}
