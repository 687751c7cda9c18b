package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.kit.KitRegistry;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "kits", description = "List every resource and monitor type found on the class path, one per line.")
final class KitsCommand implements Callable<Integer> {
    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    KitsCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() {
        KitRegistry kits = engine.kits();
        PrintWriter out = spec.commandLine().getOut();
        kits.resourceTypes().forEach((id, type) -> out.printf("resource  %-20s kit %-12s %s%n", id,
                kits.kitOfResourceType(id), type.description()));
        kits.monitorTypes().forEach((id, type) -> out.printf("monitor   %-20s kit %-12s %s%n", id,
                kits.kitOfMonitorType(id), type.description()));
        return ExitCode.OK;
    }
}
