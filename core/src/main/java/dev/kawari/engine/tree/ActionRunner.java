package dev.kawari.engine.tree;

import dev.kawari.engine.event.EventRecorder;
import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.NodeIdentity;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs calls into kits on worker threads, each bounded by a timeout: when the timeout passes, the
 * call's future fails with {@link ErrorCode#ACTION_TIMED_OUT} at once and the worker is interrupted.
 * The engine goes on even if a kit ignores the interrupt; the resource stays locked until the call
 * really returns, so no second action can start on it meanwhile.
 */
public final class ActionRunner {
    private final Executor workers;
    private final ScheduledExecutorService timers;
    private final TimeSource time;
    private final Sleeper sleeper;
    private final NodeIdentity node;
    private final EventRecorder events;

    public ActionRunner(Executor workers, ScheduledExecutorService timers, TimeSource time, Sleeper sleeper,
            NodeIdentity node, EventRecorder events) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.time = Objects.requireNonNull(time, "time");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.node = Objects.requireNonNull(node, "node");
        this.events = Objects.requireNonNull(events, "events");
    }

    public TimeSource time() {
        return time;
    }

    /**
     * Calls {@code call} on a worker thread with a deadline of {@code timeout}.
     *
     * @param exclusive if not null, held for the whole call; acquiring it counts against the timeout
     * @param doing what the call does, for messages ("restore of demo/web")
     * @return completes with the call's result, or exceptionally with a {@link KawariException}
     */
    public <T> CompletableFuture<T> call(String service, String subject, String doing, Duration timeout, int attempt,
            Semaphore exclusive, KitCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Deadline deadline = Deadline.after(timeout, time);
        OperationContext context = new OperationContext(service, subject, node, events.epoch(service), attempt,
                deadline, time, sleeper, events.sinkFor(service, subject));
        FutureTask<Void> task = new FutureTask<>(() -> {
            run(call, context, exclusive, doing, result);
            return null;
        });
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (result.completeExceptionally(KawariException.timedOut(doing + " did not finish within " + timeout))) {
                task.cancel(true);
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((value, failure) -> timer.cancel(false));
        try {
            workers.execute(task);
        } catch (RuntimeException e) {
            result.completeExceptionally(new KawariException(ErrorCode.KIT_FAILURE, true,
                    "cannot start " + doing + ": " + e.getMessage(), e));
        }
        return result;
    }

    private static <T> void run(KitCall<T> call, OperationContext context, Semaphore exclusive, String doing,
            CompletableFuture<T> result) {
        boolean locked = false;
        try {
            if (exclusive != null) {
                Duration wait = context.deadline().remaining();
                locked = exclusive.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
                if (!locked) {
                    result.completeExceptionally(KawariException.timedOut(
                            doing + " could not start: a previous action on it is still running"));
                    return;
                }
            }
            result.complete(call.call(context));
        } catch (KawariException e) {
            result.completeExceptionally(e);
        } catch (InterruptedException e) {
            result.completeExceptionally(KawariException.interrupted(doing + " was interrupted", e));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(new KawariException(ErrorCode.KIT_FAILURE, false,
                    doing + " failed inside the kit: " + e, e));
        } finally {
            if (locked) {
                exclusive.release();
            }
        }
    }

    /** The {@link KawariException} behind a failed future's exception, wrapping anything else. */
    public static KawariException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof KawariException kawari) {
            return kawari;
        }
        return new KawariException(ErrorCode.KIT_FAILURE, false, String.valueOf(cause), cause);
    }

    /** Waits for a future without being interruptible mid-way from the caller's point of view. */
    static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KawariException.interrupted("interrupted while waiting for the engine", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw unwrap(e);
        }
    }
}
