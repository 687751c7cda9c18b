package dev.kawari.app;

import java.util.Objects;

/**
 * A password read from its source, held only as long as its user needs it. {@link #toString()}
 * never shows it, so a password that reaches a message or a log by mistake shows as {@code <secret>}.
 *
 * @param value the password
 */
public record Password(String value) {
    public Password {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
