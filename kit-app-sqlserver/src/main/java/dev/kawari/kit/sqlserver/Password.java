package dev.kawari.kit.sqlserver;

import java.util.Objects;

/**
 * A password read from its source, held only for the check that uses it. {@link #toString()} never
 * shows it, so a password that reaches a message or a log by mistake shows as {@code <secret>}.
 *
 * @param value the password
 */
record Password(String value) {
    Password {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
