package dev.kawari.testkit;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory kit that keeps the contracts: a switch turned on by restore and off by remove. The
 * contract suites run against it here, and against broken variants of it in {@link
 * ContractSuitesCanFailTest}.
 */
final class SwitchKit {
    static final ErrorCode SWITCH_BROKEN = new ErrorCode("SWITCH_BROKEN", ErrorType.EXTERNAL);

    private SwitchKit() {
    }

    /** Turns {@code on} on and off. */
    static class Switch implements Resource {
        final AtomicBoolean on;

        Switch(AtomicBoolean on) {
            this.on = on;
        }

        @Override
        public void restore(OperationContext context) {
            context.deadline().check("turning the switch on");
            on.set(true);
        }

        @Override
        public void remove(OperationContext context) {
            context.deadline().check("turning the switch off");
            on.set(false);
        }

        @Override
        public CheckResult check(OperationContext context) {
            return on.get() ? CheckResult.healthy() : CheckResult.unhealthy("the switch is off");
        }
    }

    /** A switch whose restore waits for a minute, in small pauses bounded by the deadline. */
    static class SlowSwitch extends Switch {
        SlowSwitch(AtomicBoolean on) {
            super(on);
        }

        @Override
        public void restore(OperationContext context) {
            for (int i = 0; i < 1200; i++) {
                context.deadline().check("waiting for the switch");
                context.pause(Duration.ofMillis(50));
            }
            super.restore(context);
        }
    }

    /** A switch that is broken. */
    static class BrokenSwitch extends Switch {
        BrokenSwitch(AtomicBoolean on) {
            super(on);
        }

        @Override
        public void restore(OperationContext context) {
            throw KawariException.permanent(SWITCH_BROKEN, "the switch is broken");
        }
    }

    /** Reports what its switch says. */
    static class Probe implements Monitor {
        final AtomicBoolean on;

        Probe(AtomicBoolean on) {
            this.on = on;
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            return on.get() ? CheckResult.healthy() : CheckResult.unhealthy("the switch is off");
        }
    }

    /** A probe that waits for a minute, in small pauses bounded by the deadline, then says Unknown. */
    static class HangingProbe extends Probe {
        HangingProbe() {
            super(new AtomicBoolean(true));
        }

        @Override
        public CheckResult check(OperationContext context) throws InterruptedException {
            for (int i = 0; i < 1200 && !context.deadline().expired(); i++) {
                context.sleeper().sleep(context.deadline().cap(Duration.ofMillis(50)));
            }
            return CheckResult.unknown("no answer within " + context.deadline().budget());
        }
    }
}
