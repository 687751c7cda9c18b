package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.KitBlock;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Monitor type {@code exec}: a command whose exit code is the answer; keys in the kit's {@code
 * reference.conf}. How long the command may run is the monitor's {@code timeout}, an engine key.
 */
public final class ExecMonitorType implements MonitorType {

    @Override
    public String id() {
        return "exec";
    }

    @Override
    public String description() {
        return "a check command (an argument vector, no shell): exit 0 healthy, 3 unknown, other unhealthy";
    }

    /** Validates the block and builds the monitor; runs nothing. Returns null after reporting problems. */
    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        KitBlock block = new KitBlock(definition.config(), context);
        Optional<List<String>> command = block.argumentVector("command", true,
                List.of("curl", "--fail", "--silent", "http://127.0.0.1:8080/health"));
        Optional<Map<String, String>> environment = block.environment("environment");
        Optional<Path> directory = block.absolutePath("directory", "an absolute directory");
        if (block.reportedProblems()) {
            return null;
        }
        return new ExecMonitor(new Command(command.orElseThrow(), environment.orElseThrow(), directory),
                new CommandRunner(ExecKit.COMMAND_ERRORS));
    }
}
