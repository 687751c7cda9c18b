package dev.kawari.aws;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API request this process sends, per IAM action. One counter serves the whole
 * process ({@link #process()}): every client Kawari builds registers an {@link #interceptor} on it,
 * so the counts are the API cost of the running configuration, and what the benchmark and the IAM
 * policy test read. Thread-safe.
 */
public final class ApiCallCounter {
    private static final ApiCallCounter PROCESS = new ApiCallCounter();

    /** How often checks report the process's calls: often enough to see a rate, rarely enough not to flood events. */
    public static final java.time.Duration REPORT_EVERY = java.time.Duration.ofMinutes(1);

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Object reportLock = new Object();
    private ApiCallCounts reported = ApiCallCounts.NONE;
    private long reportedAt;
    private boolean reportedOnce;

    /** The process's counter. */
    public static ApiCallCounter process() {
        return PROCESS;
    }

    /** A counter of its own (tests). */
    public ApiCallCounter() {
    }

    /** Counts one request of {@code action} ({@code ec2:ReplaceRoute}). */
    public void count(String action) {
        counts.computeIfAbsent(action, key -> new LongAdder()).increment();
    }

    /** The counts so far; compare two snapshots with {@link ApiCallCounts#since}. */
    public ApiCallCounts snapshot() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        counts.forEach((action, count) -> copy.put(action, count.sum()));
        return new ApiCallCounts(copy);
    }

    /**
     * Leaves a note with the calls made since the previous such note, when at least {@code every} has
     * passed on {@code time} since then (the first call only starts the period). Checks call this, so
     * that their API cost shows in the events without one event per check.
     */
    public void noteIfDue(java.time.Duration every, dev.kawari.spi.TimeSource time, dev.kawari.spi.EventSink events) {
        ApiCallCounts since;
        synchronized (reportLock) {
            long now = time.nanoTime();
            if (!reportedOnce) {
                reportedOnce = true;
                reportedAt = now;
                reported = snapshot();
                return;
            }
            if (now - reportedAt < every.toNanos()) {
                return;
            }
            ApiCallCounts current = snapshot();
            since = current.since(reported);
            reported = current;
            reportedAt = now;
        }
        events.note("AWS calls of this process in the last period: " + since.total() + " (" + since + ")",
                since.asDetails());
    }

    /**
     * An SDK interceptor that counts each request transmitted (each attempt) of a client whose IAM
     * service prefix is {@code iamPrefix} ({@code ec2}, {@code sts}).
     */
    public ExecutionInterceptor interceptor(String iamPrefix) {
        Objects.requireNonNull(iamPrefix, "iamPrefix");
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                count(iamPrefix + ":" + (operation == null ? "unknown" : operation));
            }
        };
    }
}
