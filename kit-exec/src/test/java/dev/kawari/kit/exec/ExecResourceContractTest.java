package dev.kawari.kit.exec;

import static dev.kawari.kit.exec.ExecBlocks.block;

import dev.kawari.spi.Resource;
import dev.kawari.testkit.ResourceContractTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The resource contracts, kept by real commands on a marker file. */
class ExecResourceContractTest extends ResourceContractTest {
    @TempDir
    Path directory;

    @Override
    protected Resource newResource() {
        String marker = directory.resolve("marker").toString();
        return ExecBlocks.resource(block(
                "start", List.of("touch", marker),
                "stop", List.of("rm", "-f", marker),
                "check", List.of("test", "-e", marker)));
    }

    @Override
    protected Resource newSlowResource() {
        return ExecBlocks.resource(block("start", List.of("sleep", "60"), "stop", List.of("true")));
    }

    @Override
    protected Resource newFailingResource() {
        return ExecBlocks.resource(block("start", List.of("false"), "stop", List.of("true")));
    }
}
