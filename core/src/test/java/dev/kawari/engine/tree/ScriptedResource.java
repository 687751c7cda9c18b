package dev.kawari.engine.tree;

import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** A hand-written resource for engine tests: journals its actions and fails or hangs on request. */
final class ScriptedResource implements Resource {
    static final ErrorCode SCRIPTED_FAILURE = new ErrorCode("SCRIPTED_FAILURE", ErrorType.EXTERNAL);

    private final String id;
    private final List<String> journal;
    final AtomicBoolean up = new AtomicBoolean();
    volatile boolean failRestore;
    volatile boolean failRemove;
    volatile boolean hangRestore;
    volatile CountDownLatch restoreGate;
    volatile Duration timeout = Duration.ofSeconds(10);

    ScriptedResource(String id, List<String> journal) {
        this.id = id;
        this.journal = journal;
    }

    static List<String> newJournal() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        journal.add("restore " + id);
        CountDownLatch gate = restoreGate;
        if (gate != null) {
            gate.countDown();
            if (!gate.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                throw KawariException.permanent(SCRIPTED_FAILURE, id + " waited alone at the gate");
            }
        }
        if (hangRestore) {
            Thread.sleep(60_000);
        }
        if (failRestore) {
            throw KawariException.permanent(SCRIPTED_FAILURE, id + " refuses to start");
        }
        up.set(true);
    }

    @Override
    public void remove(OperationContext context) {
        journal.add("remove " + id);
        if (failRemove) {
            throw KawariException.permanent(SCRIPTED_FAILURE, id + " refuses to stop");
        }
        up.set(false);
    }

    @Override
    public void recover(OperationContext context) throws InterruptedException {
        journal.add("recover " + id);
        up.set(true);
    }

    @Override
    public CheckResult check(OperationContext context) {
        return up.get() ? CheckResult.healthy() : CheckResult.unhealthy(id + " is down");
    }

    @Override
    public Duration timeout(Action action) {
        return timeout;
    }
}
