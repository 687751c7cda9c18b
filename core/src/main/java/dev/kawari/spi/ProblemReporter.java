package dev.kawari.spi;

/** Where a kit reports a configuration problem; the engine locates it as {@code FILE:LINE: message}. */
@FunctionalInterface
public interface ProblemReporter {
    /**
     * Reports a problem with the block being validated. The engine turns it into a
     * {@code FILE:LINE: message} line pointing at {@code key} (or at the block when the key is
     * absent) and collects every problem before reporting; a kit keeps validating after a problem
     * so that the operator sees them all at once.
     *
     * @param key the offending key, relative to the block, in HOCON path syntax ({@code timeouts.start})
     * @param message what is wrong and, where possible, how to fix it; printed as it is after
     *     {@code FILE:LINE:}, so it names the key ("'start' must be an argument vector …")
     */
    void problem(String key, String message);
}
