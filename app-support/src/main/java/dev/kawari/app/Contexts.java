package dev.kawari.app;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.OperationContext;
import java.time.Duration;

/** Operation contexts for one step of an action or check: a probe, a read of a password. */
final class Contexts {
    private Contexts() {
    }

    /** {@code context} with a deadline {@code budget} from now (the caller caps it by the context's own). */
    static OperationContext narrowed(OperationContext context, Duration budget) {
        return new OperationContext(context.service(), context.subject(), context.node(), context.epoch(),
                context.attempt(), Deadline.after(budget, context.time()), context.time(), context.sleeper(),
                context.events());
    }
}
