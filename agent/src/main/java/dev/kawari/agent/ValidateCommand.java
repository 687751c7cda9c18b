package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.ServiceSpec;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = {
    "Check configuration files without running anything.",
    "Prints one line per service when valid; every problem as FILE:LINE: message when not."})
final class ValidateCommand implements Callable<Integer> {
    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "HOCON configuration files")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--live", description = {
        "also check each file against the world it acts on (the kits' verify: route tables exist,",
        "addresses fit the VPC, ...) as node --node; makes read-only calls, changes nothing"})
    boolean live;

    @picocli.CommandLine.Option(names = "--node", paramLabel = "NAME", description = "the node to verify as (with --live)")
    String nodeName;

    @Inject
    ValidateCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() {
        if (live && nodeName == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--live needs --node NAME");
        }
        boolean valid = true;
        for (Path file : files) {
            try {
                if (live) {
                    try (NodeSession session = NodeSession.open(engine, file, nodeName, Optional.empty())) {
                        session.node().verify();
                        summarise(file, session.config());
                    }
                } else {
                    try (KawariConfig config = engine.configs().load(file)) {
                        summarise(file, config);
                    }
                }
            } catch (InvalidConfigException invalid) {
                valid = false;
                for (ConfigProblem problem : invalid.problems()) {
                    spec.commandLine().getErr().println(problem);
                }
            }
        }
        return valid ? ExitCode.OK : ExitCode.USAGE;
    }

    private void summarise(Path file, KawariConfig config) {
        for (ServiceSpec service : config.services()) {
            spec.commandLine().getOut().println(file + ": " + ServiceSummary.of(service));
        }
    }
}
