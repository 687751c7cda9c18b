package dev.kawari.engine.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The known name an operator most likely meant when they typed an unknown one: used for "did you
 * mean" hints on configuration keys, type ids and resource ids, and by the command line for node
 * and service names.
 *
 * <p>Distance is the optimal-string-alignment form of Damerau-Levenshtein (so {@code strat} is one
 * edit from {@code start}), compared without regard to case. A name is close when it is at most two
 * edits away, or a third of the typed length for long names; a typed name of one or two characters
 * never matches something entirely different.
 */
public final class ClosestName {

    private ClosestName() {
    }

    /** The closest of {@code candidates} to {@code given}, if one is close enough; ties go to the first in sort order. */
    public static Optional<String> closest(String given, Collection<String> candidates) {
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(candidates, "candidates");
        int limit = Math.max(2, given.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates.stream().sorted().toList()) {
            int distance = distance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            // "distance < length" keeps a two-letter typo from "matching" any other two-letter name.
            if (distance <= limit && distance < given.length() && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean 'x'?)"} when a candidate is close, otherwise the empty string; for appending to messages. */
    public static String didYouMean(String given, Collection<String> candidates) {
        return closest(given, candidates).map(name -> " (did you mean '" + name + "'?)").orElse("");
    }

    /** Edits (insert, delete, substitute, swap two adjacent characters) that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
