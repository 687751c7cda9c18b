package dev.kawari.aws;

import dev.kawari.spi.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One describe call shared by every check that needs it at about the same time: the checks of all
 * route-table virtual IPs of a node read one {@code DescribeRouteTables} per VPC per monitor tick,
 * whatever their number.
 *
 * <p>A check that finds a call for its key in flight waits for that call instead of making its own;
 * one that finds an answer younger than the freshness window uses it. Failures are shared the same
 * way, so a throttled API is asked once per tick, not once per address. Actions never read through
 * this cache: they describe afresh, then {@link #offer} what they read (so a check right after a
 * restore sees the restore's result) or {@link #forget} the key.
 *
 * <p>Owned by a kit's type instance, so that it spans every resource of that type. Thread-safe.
 *
 * @param <K> what is described (a VPC of a region, with the clients' settings)
 * @param <V> the answer
 */
public final class SharedDescribe<K, V> {
    /** The default freshness window: shorter than any sensible monitor interval, longer than a tick's spread. */
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMillis(500);

    private final Duration freshness;
    private final TimeSource time;
    private final Map<K, Entry<V>> entries = new HashMap<>();

    private static final class Entry<V> {
        final CompletableFuture<V> answer;
        volatile long answeredAt = Long.MIN_VALUE;

        Entry(CompletableFuture<V> answer) {
            this.answer = answer;
        }
    }

    public SharedDescribe(Duration freshness, TimeSource time) {
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * The answer for {@code key}: a fresh one, the one of the call in flight, or that of a new call
     * made through {@code aws} with the {@link AwsOperation#askTimeout()} of this check. Waits at most
     * that long.
     *
     * @throws dev.kawari.spi.KawariException classified, when the shared call failed or took too long
     */
    public V get(K key, AwsOperation aws, String action, AwsCall<V> describe) {
        Duration wait = aws.askTimeout();
        Entry<V> entry;
        boolean owner = false;
        synchronized (entries) {
            entry = entries.get(key);
            if (entry == null || stale(entry)) {
                entry = new Entry<>(aws.share(action, wait, describe));
                Entry<V> started = entry;
                entries.put(key, started);
                started.answer.whenComplete((value, failure) -> started.answeredAt = time.nanoTime());
                owner = true;
            }
        }
        if (owner) {
            return AwsCalls.await(action, entry.answer, wait.plus(Duration.ofMillis(200)), aws.context().deadline(),
                    false);
        }
        return aws.awaitShared(action, entry.answer, wait);
    }

    /** Records an answer an action has just read, so that checks use it instead of asking again. */
    public void offer(K key, V value) {
        Entry<V> entry = new Entry<>(CompletableFuture.completedFuture(value));
        entry.answeredAt = time.nanoTime();
        synchronized (entries) {
            entries.put(key, entry);
        }
    }

    /** Drops what is known about {@code key}: after a change, the next check asks again. */
    public void forget(K key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    private boolean stale(Entry<V> entry) {
        if (!entry.answer.isDone()) {
            return false;
        }
        long answeredAt = entry.answeredAt;
        // Done but not yet stamped: it has only just answered.
        return answeredAt != Long.MIN_VALUE && time.nanoTime() - answeredAt >= freshness.toNanos();
    }
}
