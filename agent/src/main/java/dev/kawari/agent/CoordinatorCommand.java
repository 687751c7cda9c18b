package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.config.KawariConfig;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "coordinator", description = "Manage the coordinator's store.",
        subcommands = CoordinatorCommand.CreateTable.class)
final class CoordinatorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: create-table");
    }

    @Command(name = "create-table", description = {
        "Create the coordinator's store named in FILE (the DynamoDB table, on-demand billing; the embedded",
        "coordinator's directory) if it does not exist. The agent never creates it on its own."})
    static final class CreateTable implements Callable<Integer> {
        private final Engine engine;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Inject
        CreateTable(Engine engine) {
            this.engine = engine;
        }

        @Override
        public Integer call() {
            try (KawariConfig config = engine.configs().load(file)) {
                var coordinator = config.coordinator().orElseThrow(() -> new UsageException(
                        file + " has no kawari.coordinator block"));
                spec.commandLine().getOut().println("kawari: " + coordinator.instance().prepare());
                return ExitCode.OK;
            }
        }
    }
}
