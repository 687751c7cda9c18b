package dev.kawari.kit.exec;

import static dev.kawari.kit.exec.ExecBlocks.block;

import dev.kawari.spi.Monitor;
import dev.kawari.testkit.MonitorContractTest;
import java.util.List;

/** The monitor contracts, kept by real commands. */
class ExecMonitorContractTest extends MonitorContractTest {

    @Override
    protected Monitor newHealthyMonitor() {
        return ExecBlocks.monitor(block("command", List.of("true")));
    }

    @Override
    protected Monitor newUnhealthyMonitor() {
        return ExecBlocks.monitor(block("command", List.of("false")));
    }

    @Override
    protected Monitor newHangingMonitor() {
        return ExecBlocks.monitor(block("command", List.of("sleep", "60")));
    }
}
