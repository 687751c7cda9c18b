package dev.kawari.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One call into a kit on a thread of its own, so that a kit that ignores its deadline or an
 * interrupt fails a contract test within a bound instead of hanging the build.
 */
final class WatchedCall {

    /** The call; may throw anything, which is what is being watched. */
    @FunctionalInterface
    interface Body {
        Object call() throws Exception;
    }

    /**
     * How the call ended.
     *
     * @param returned what it returned, or null
     * @param thrown what it threw, or null
     * @param interruptedAfterwards whether the thread's interrupt flag was set when the call ended
     * @param tookNanos from the start of the call to its end, on the system's monotonic clock
     */
    record Ending(Object returned, Throwable thrown, boolean interruptedAfterwards, long tookNanos) {
        Duration took() {
            return Duration.ofNanos(tookNanos);
        }

        String describe() {
            return thrown == null ? "returned " + returned + " after " + took().toMillis() + " ms"
                    : "threw " + thrown + " after " + took().toMillis() + " ms";
        }
    }

    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Ending ending;

    private WatchedCall(String name, Body body) {
        Objects.requireNonNull(body, "body");
        // Daemon: a kit that never returns must not keep the test JVM alive.
        this.thread = new Thread(() -> run(body), "kawari-tck-" + name);
        this.thread.setDaemon(true);
    }

    static WatchedCall start(String name, Body body) {
        WatchedCall call = new WatchedCall(name, body);
        call.thread.start();
        return call;
    }

    private void run(Body body) {
        long start = System.nanoTime();
        Object returned = null;
        Throwable thrown = null;
        try {
            returned = body.call();
        } catch (Throwable t) {
            thrown = t; // handed to the test thread, which asserts on it
        }
        ending = new Ending(returned, thrown, Thread.currentThread().isInterrupted(), System.nanoTime() - start);
        ended.countDown();
    }

    void interrupt() {
        thread.interrupt();
    }

    /**
     * Waits up to {@code bound} of real time for the call to end. When it does not, interrupts the
     * call's thread so that it may still stop before the next test, and returns empty.
     */
    Optional<Ending> awaitEnd(Duration bound) throws InterruptedException {
        if (ended.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.of(ending);
        }
        thread.interrupt();
        return Optional.empty();
    }
}
