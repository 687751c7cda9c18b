package dev.kawari.testkit;

import dev.kawari.spi.Resource;
import java.util.concurrent.atomic.AtomicBoolean;

/** The resource contract suite passes for a kit that keeps the contracts. */
class SwitchResourceContractTest extends ResourceContractTest {
    final AtomicBoolean on = new AtomicBoolean();

    @Override
    protected void resetEnvironment() {
        on.set(false);
    }

    @Override
    protected Resource newResource() {
        return new SwitchKit.Switch(on);
    }

    @Override
    protected Resource newSlowResource() {
        return new SwitchKit.SlowSwitch(on);
    }

    @Override
    protected Resource newFailingResource() {
        return new SwitchKit.BrokenSwitch(on);
    }
}
