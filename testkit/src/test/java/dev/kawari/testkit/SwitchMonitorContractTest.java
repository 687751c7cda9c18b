package dev.kawari.testkit;

import dev.kawari.spi.Monitor;
import java.util.concurrent.atomic.AtomicBoolean;

/** The monitor contract suite passes for a kit that keeps the contracts. */
class SwitchMonitorContractTest extends MonitorContractTest {

    @Override
    protected Monitor newHealthyMonitor() {
        return new SwitchKit.Probe(new AtomicBoolean(true));
    }

    @Override
    protected Monitor newUnhealthyMonitor() {
        return new SwitchKit.Probe(new AtomicBoolean(false));
    }

    @Override
    protected Monitor newHangingMonitor() {
        return new SwitchKit.HangingProbe();
    }
}
