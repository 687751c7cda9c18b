package dev.kawari.agent;

import dev.kawari.engine.Engine;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.ServiceSpec;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
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

    @Inject
    ValidateCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() {
        boolean valid = true;
        for (Path file : files) {
            try (KawariConfig config = engine.configs().load(file)) {
                for (ServiceSpec service : config.services()) {
                    spec.commandLine().getOut().println(file + ": " + ServiceSummary.of(service));
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
}
