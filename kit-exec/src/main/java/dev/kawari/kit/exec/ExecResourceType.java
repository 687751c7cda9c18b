package dev.kawari.kit.exec;

import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.KitBlock;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resource type {@code exec}: start, stop and check commands; keys in the kit's {@code reference.conf}. */
public final class ExecResourceType implements ResourceType {
    static final String TIMEOUTS_EXAMPLE = "{ start = 60s, stop = 60s, check = 10s }";

    @Override
    public String id() {
        return "exec";
    }

    @Override
    public String description() {
        return "a resource started, stopped and checked by commands (argument vectors, no shell)";
    }

    /** Validates the block and builds the resource; runs nothing. Returns null after reporting problems. */
    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        KitBlock block = new KitBlock(definition.config(), context);
        Optional<List<String>> start = block.argumentVector("start", true, List.of("systemctl", "start", "slapd"));
        Optional<List<String>> stop = block.argumentVector("stop", true, List.of("systemctl", "stop", "slapd"));
        Optional<List<String>> check = block.argumentVector("check", false,
                List.of("systemctl", "is-active", "--quiet", "slapd"));
        Optional<Duration> startTimeout = Optional.empty();
        Optional<Duration> stopTimeout = Optional.empty();
        Optional<Duration> checkTimeout = Optional.empty();
        if (block.isObject("timeouts", TIMEOUTS_EXAMPLE)) {
            startTimeout = block.positiveDuration("timeouts.start");
            stopTimeout = block.positiveDuration("timeouts.stop");
            checkTimeout = block.positiveDuration("timeouts.check");
        }
        Optional<Map<String, String>> environment = block.environment("environment");
        Optional<Path> directory = block.absolutePath("directory", "an absolute directory");
        if (block.reportedProblems()) {
            return null;
        }
        Map<String, String> variables = environment.orElseThrow();
        return new ExecResource(new ExecResourceConfig(
                new Command(start.orElseThrow(), variables, directory),
                new Command(stop.orElseThrow(), variables, directory),
                check.map(argv -> new Command(argv, variables, directory)),
                new ExecResourceConfig.Timeouts(startTimeout.orElseThrow(), stopTimeout.orElseThrow(),
                        checkTimeout.orElseThrow())),
                new CommandRunner(ExecKit.COMMAND_ERRORS));
    }
}
