package dev.kawari.aws;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The AWS calls of one action or check, under its {@link OperationContext}: {@link #act} for
 * mutations and reads that must succeed (retried with backoff and jitter until the deadline), {@link
 * #ask} for checks (one attempt, bounded well inside the deadline so that a slow API means "could not
 * tell" rather than a check timeout). It counts the requests it sends; {@link #noteCalls} leaves the
 * counts in the context's events. Thread-safe: the tables of one restore are updated in parallel.
 */
public final class AwsOperation {
    /** The first backoff; each retry doubles it, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** The longest single attempt of {@link #act}, so that one hung request cannot use a whole long deadline. */
    static final Duration LONGEST_ATTEMPT = Duration.ofSeconds(20);
    /** The part of a check's remaining time an {@link #ask} may use, leaving the rest to answer Unknown. */
    private static final double ASK_SHARE = 0.8;

    private final AwsCalls calls;
    private final OperationContext context;
    private final java.util.Optional<RequestRate> rate;
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();

    AwsOperation(AwsCalls calls, OperationContext context) {
        this(calls, context, java.util.Optional.empty());
    }

    AwsOperation(AwsCalls calls, OperationContext context, java.util.Optional<RequestRate> rate) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.context = Objects.requireNonNull(context, "context");
        this.rate = Objects.requireNonNull(rate, "rate");
    }

    public OperationContext context() {
        return context;
    }

    /**
     * Calls until it succeeds, retrying retryable failures (throttling, 5xx, timeouts) with
     * exponential backoff and jitter through {@link OperationContext#pause}, never past the
     * deadline. Throws the last failure (with the number of attempts) when the deadline leaves no room
     * for another attempt, and at once for a failure retrying cannot fix.
     *
     * @param action the IAM action of the call ({@code ec2:ReplaceRoute}), for counts and messages
     */
    public <T> T act(String action, AwsCall<T> call) {
        int attempt = 0;
        while (true) {
            attempt++;
            context.deadline().check("calling " + action);
            if (rate.isPresent() && rate.get().limits(action)) {
                try {
                    rate.get().acquire(context, action, context.deadline().remaining());
                } catch (AwsException noSlot) {
                    throw KawariException.timedOut("the deadline of " + context.deadline().budget()
                            + " leaves no time to call " + action + ": " + noSlot.getMessage());
                }
                context.deadline().check("waiting to call " + action);
            }
            Duration timeout = context.deadline().cap(LONGEST_ATTEMPT);
            try {
                count(action);
                return calls.once(action, timeout, context.deadline(), call);
            } catch (KawariException failure) {
                if (!failure.retryable() || failure.type() == dev.kawari.spi.ErrorType.TIMEOUT
                        || failure.code().equals(dev.kawari.spi.ErrorCode.ACTION_INTERRUPTED)) {
                    throw failure;
                }
                Duration backoff = backoff(attempt);
                if (context.deadline().remaining().compareTo(backoff.plus(AwsCalls.SHORTEST_CALL)) <= 0) {
                    throw new AwsException(failure.code(), true, action,
                            failure instanceof AwsException aws ? aws.awsErrorCode().orElse(null) : null,
                            failure instanceof AwsException aws ? aws.requestId().orElse(null) : null,
                            failure.getMessage() + " (gave up after " + attempt + " attempt(s): the deadline of "
                                    + context.deadline().budget() + " leaves no time for another)", failure);
                }
                context.pause(backoff);
            }
        }
    }

    /**
     * Calls once, bounded by most of the time left (the rest lets a check answer Unknown before the
     * engine's timeout would count it as Unhealthy). Failures are thrown classified; a check turns a
     * retryable one into {@code Unknown}.
     */
    public <T> T ask(String action, AwsCall<T> call) {
        context.deadline().check("calling " + action);
        rate.filter(limit -> limit.limits(action))
                .ifPresent(limit -> limit.acquire(context, action, askTimeout().dividedBy(2)));
        count(action);
        return calls.once(action, askTimeout(), context.deadline(), call);
    }

    /** The timeout an {@link #ask} gives its call now. */
    public Duration askTimeout() {
        long left = context.deadline().remaining().toNanos();
        return Duration.ofNanos((long) (left * ASK_SHARE));
    }

    /** Starts a call whose result other checks will share; see {@link SharedDescribe}. */
    <T> CompletableFuture<T> share(String action, Duration timeout, AwsCall<T> call) {
        if (rate.isEmpty() || !rate.get().limits(action)) {
            count(action);
            return calls.start(action, timeout, context.deadline(), call);
        }
        // The wait for a request slot runs on the call's own thread, so that no lock of the caller
        // (a shared describe's) is held while waiting.
        return calls.start(action, timeout, context.deadline(), limits -> {
            rate.get().acquire(context, action, timeout.dividedBy(2));
            count(action);
            return call.call(limits);
        });
    }

    /** Waits, without owning it, for a call another check started. */
    <T> T awaitShared(String action, CompletableFuture<T> call, Duration wait) {
        return AwsCalls.await(action, call, wait, context.deadline(), false);
    }

    /**
     * Runs {@code work} for every key at once, each on a thread of its own (the route tables of one
     * restore, for example), and waits for all, never past the deadline. One key's failure does not
     * stop the others; an interrupt of the caller interrupts them all and is rethrown.
     *
     * @return the failures by key, in the order of {@code keys}; empty when everything succeeded
     */
    public <K> Map<K, KawariException> inParallel(java.util.Collection<K> keys, java.util.function.Consumer<K> work) {
        Map<K, CompletableFuture<Void>> running = new java.util.LinkedHashMap<>();
        for (K key : keys) {
            running.put(key, calls.start("work on " + key, context.deadline().remaining(), context.deadline(), limits -> {
                work.accept(key);
                return null;
            }));
        }
        Map<K, KawariException> failures = new java.util.LinkedHashMap<>();
        try {
            for (Map.Entry<K, CompletableFuture<Void>> entry : running.entrySet()) {
                try {
                    AwsCalls.await(String.valueOf(entry.getKey()), entry.getValue(),
                            context.deadline().remaining().plus(Duration.ofMillis(500)), context.deadline(), true);
                } catch (KawariException failure) {
                    if (failure.code().equals(dev.kawari.spi.ErrorCode.ACTION_INTERRUPTED)
                            && Thread.currentThread().isInterrupted()) {
                        throw failure;
                    }
                    failures.put(entry.getKey(), failure);
                }
            }
        } finally {
            if (Thread.currentThread().isInterrupted()) {
                running.values().forEach(future -> future.cancel(true));
            }
        }
        return failures;
    }

    /** The requests this operation has sent so far. */
    public ApiCallCounts counts() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        sent.forEach((action, count) -> copy.put(action, count.sum()));
        return new ApiCallCounts(copy);
    }

    /**
     * Leaves a note with the requests sent, such as {@code "restore made 5 AWS call(s):
     * ec2:DescribeRouteTables=2, ec2:ReplaceRoute=3"}, with one detail per action; nothing when no
     * call was made.
     */
    public void noteCalls(String what) {
        ApiCallCounts counts = counts();
        if (counts.isEmpty()) {
            return;
        }
        context.events().note(what + " made " + counts.total() + " AWS call(s): " + counts, counts.asDetails());
    }

    private void count(String action) {
        sent.computeIfAbsent(action, key -> new LongAdder()).increment();
    }

    /** Exponential backoff with jitter: uniform in [d/2, d], d = FIRST_BACKOFF * 2^(attempt-1), capped. */
    static Duration backoff(int attempt) {
        long ceiling = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
        ceiling = Math.min(ceiling, MAX_BACKOFF.toMillis());
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
