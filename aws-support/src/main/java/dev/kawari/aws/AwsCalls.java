package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs SDK calls for kits: on a thread of the clients' pool, so that the caller waits interruptibly
 * even while the SDK blocks on a socket; each call bounded by a timeout derived from the operation's
 * deadline; failures classified by {@link AwsFailures}. {@link #on} gives an {@link AwsOperation},
 * which adds retries and counts the calls of one action or check.
 */
public final class AwsCalls {
    /** How much longer than a call's own timeout the caller waits before giving up on it. */
    private static final Duration GRACE = Duration.ofMillis(500);
    /** The shortest timeout worth giving a call. */
    static final Duration SHORTEST_CALL = Duration.ofMillis(50);

    private final ExecutorService executor;

    AwsCalls(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** The calls of one action or check, made under {@code context}'s deadline. */
    public AwsOperation on(OperationContext context) {
        return new AwsOperation(this, context);
    }

    /**
     * As {@link #on(OperationContext)}, with every request of the operation (retries included) first
     * waiting for a permit of {@code rate}: an API whose limit is per account, such as Route 53's.
     */
    public AwsOperation on(OperationContext context, RequestRate rate) {
        return new AwsOperation(this, context, java.util.Optional.of(rate));
    }

    /**
     * Starts {@code call} on a pool thread with a timeout of {@code timeout}; the future fails with the
     * classified {@link KawariException}. Used for calls whose result several callers share.
     */
    public <T> CompletableFuture<T> start(String action, Duration timeout, Deadline deadline, AwsCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Duration bounded = timeout.compareTo(SHORTEST_CALL) < 0 ? SHORTEST_CALL : timeout;
        try {
            Future<?> running = executor.submit(() -> {
                try {
                    result.complete(call.call(limits -> limits.apiCallTimeout(bounded)));
                } catch (Throwable failure) {
                    result.completeExceptionally(AwsFailures.classify(action, failure, deadline));
                }
            });
            result.whenComplete((value, failure) -> {
                if (failure instanceof CancellationException) {
                    running.cancel(true);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new KawariException(dev.kawari.spi.ErrorCode.KIT_FAILURE, false,
                    "cannot call " + action + ": the AWS clients are closed", e));
        }
        return result;
    }

    /**
     * Calls once and waits, at most {@code timeout} plus a short grace; an interrupt of the waiting
     * thread abandons the call and throws an interrupted {@link KawariException}.
     */
    <T> T once(String action, Duration timeout, Deadline deadline, AwsCall<T> call) {
        CompletableFuture<T> running = start(action, timeout, deadline, call);
        return await(action, running, timeout.plus(GRACE), deadline, true);
    }

    /**
     * Waits for a call started by {@link #start}; see {@link #once}.
     *
     * @param owner whether the waiter owns the call: an owner's interrupt abandons it, while a caller
     *     that only shares someone else's call leaves it running for the others
     */
    static <T> T await(String action, CompletableFuture<T> running, Duration wait, Deadline deadline, boolean owner) {
        try {
            return running.get(Math.max(1, wait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            if (owner) {
                running.cancel(true);
            }
            throw KawariException.interrupted("interrupted while waiting for " + action, e);
        } catch (TimeoutException e) {
            if (deadline.expired()) {
                throw KawariException.timedOut("the deadline of " + deadline.budget() + " passed while waiting for "
                        + action);
            }
            throw new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, action, null, null,
                    action + " got no answer within " + wait.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw AwsFailures.classify(action, e.getCause(), deadline);
        } catch (CancellationException e) {
            throw new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, action, null, null,
                    action + " was abandoned by the caller that started it", e);
        }
    }
}
