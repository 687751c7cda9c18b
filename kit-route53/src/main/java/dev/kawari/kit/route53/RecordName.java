package dev.kawari.kit.route53;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A DNS name as Route 53 lists it: lower case, fully qualified (ending with a dot), made of labels of
 * letters, digits, hyphens and underscores. Names are compared whole (never as substrings) and ordered
 * as {@code ListResourceRecordSets} orders them: by labels from the root down.
 *
 * @param text {@code files.corp.example.}
 */
record RecordName(String text) implements Comparable<RecordName> {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    /** The longest name Route 53 accepts, with its final dot. */
    static final int LONGEST = 255;

    /** Route 53's order: labels compared from the root ({@code example}, then {@code corp}, …). */
    private static final Comparator<RecordName> ORDER = (left, right) -> {
        List<String> a = left.labelsFromRoot();
        List<String> b = right.labelsFromRoot();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int label = a.get(i).compareTo(b.get(i));
            if (label != 0) {
                return label;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    RecordName {
        Objects.requireNonNull(text, "text");
        if (problemWith(text).isPresent() || !normalize(text).equals(text)) {
            throw new IllegalArgumentException("not a normalized DNS name: " + text);
        }
    }

    /**
     * The name written as {@code written}: case is ignored and the final dot may be left out. Empty when
     * it is not a valid name for a record (see {@link #problemWith}).
     */
    static Optional<RecordName> parse(String written) {
        return problemWith(written).isPresent() ? Optional.empty() : Optional.of(new RecordName(normalize(written)));
    }

    /** What is wrong with {@code written} as a record name, for a problem message; empty when nothing. */
    static Optional<String> problemWith(String written) {
        String name = normalize(written);
        if (name.equals(".") || name.startsWith(".") || name.contains("..")) {
            return Optional.of("'" + written + "' is not a DNS name: write it as labels separated by dots, such as"
                    + " files.corp.example.");
        }
        if (name.length() > LONGEST) {
            return Optional.of("'" + written + "' is longer than " + LONGEST + " characters");
        }
        if (name.contains("*")) {
            return Optional.of("'" + written + "' is a wildcard; a failover record needs a name of its own");
        }
        for (String label : name.substring(0, name.length() - 1).split("\\.")) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("'" + written + "' has the label '" + label + "', which is not 1 to 63 letters,"
                        + " digits, hyphens and underscores (not starting or ending with a hyphen)");
            }
        }
        return Optional.empty();
    }

    private static String normalize(String written) {
        String name = written.trim().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name : name + ".";
    }

    /** Whether this name is {@code zone} itself or lies below it ({@code files.corp.example.} in {@code corp.example.}). */
    boolean isIn(RecordName zone) {
        return text.equals(zone.text) || text.endsWith("." + zone.text);
    }

    /** A name as Route 53 answered it, normalized, or empty when it is not one this class can hold. */
    static Optional<RecordName> fromRoute53(String answered) {
        return answered == null ? Optional.empty() : parse(answered);
    }

    private List<String> labelsFromRoot() {
        String[] labels = text.substring(0, text.length() - 1).split("\\.");
        List<String> reversed = Arrays.asList(labels);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    @Override
    public int compareTo(RecordName other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return text;
    }
}
