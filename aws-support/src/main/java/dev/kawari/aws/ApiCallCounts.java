package dev.kawari.aws;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many AWS API requests were sent, per IAM action ({@code ec2:DescribeRouteTables}). Every
 * request sent counts, retries included, because each one costs API rate.
 *
 * @param byAction count per action, sorted by action; copied
 */
public record ApiCallCounts(Map<String, Long> byAction) {
    public static final ApiCallCounts NONE = new ApiCallCounts(Map.of());

    public ApiCallCounts {
        Objects.requireNonNull(byAction, "byAction");
        byAction = java.util.Collections.unmodifiableMap(new TreeMap<>(byAction));
    }

    /** The count of {@code action}; 0 when never called. */
    public long of(String action) {
        return byAction.getOrDefault(action, 0L);
    }

    public long total() {
        return byAction.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The calls made since {@code earlier} (a snapshot of the same counter taken before). */
    public ApiCallCounts since(ApiCallCounts earlier) {
        Map<String, Long> difference = new TreeMap<>();
        byAction.forEach((action, count) -> {
            long delta = count - earlier.of(action);
            if (delta != 0) {
                difference.put(action, delta);
            }
        });
        return new ApiCallCounts(difference);
    }

    public boolean isEmpty() {
        return byAction.isEmpty();
    }

    /** {@code ec2:DescribeRouteTables=3, ec2:ReplaceRoute=1}; {@code none} when empty. */
    @Override
    public String toString() {
        return byAction.isEmpty() ? "none" : byAction.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The counts as event details: {@code aws.ec2:DescribeRouteTables -> "3"}. */
    public Map<String, String> asDetails() {
        Map<String, String> details = new TreeMap<>();
        byAction.forEach((action, count) -> details.put("aws." + action, String.valueOf(count)));
        return details;
    }
}
