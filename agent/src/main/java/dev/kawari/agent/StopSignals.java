package dev.kawari.agent;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into a call of {@code onStop} instead of the JVM's default exit, so that
 * {@code kawari run} can remove its services and exit 0. Closing restores the previous handlers.
 * {@code sun.misc.Signal} lives in the JDK's {@code jdk.unsupported} module, which every JDK ships.
 */
final class StopSignals implements AutoCloseable {
    private final List<Runnable> restore = new ArrayList<>();

    private StopSignals() {
    }

    static StopSignals install(Runnable onStop) {
        StopSignals signals = new StopSignals();
        for (String name : List.of("TERM", "INT")) {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, received -> onStop.run());
            signals.restore.add(() -> Signal.handle(signal, previous));
        }
        return signals;
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
