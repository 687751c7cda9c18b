package dev.kawari.kit.sqlserver;

import java.util.Locale;
import java.util.Objects;

/**
 * A JDBC URL of Microsoft's driver, {@code jdbc:sqlserver://host[\instance][:port][;property=value…]}.
 * It never holds a password (the password goes to the driver as a property), and messages name only
 * its {@link #server()} part.
 *
 * @param text the URL as configured
 */
record SqlServerUrl(String text) {
    static final String PREFIX = "jdbc:sqlserver://";

    SqlServerUrl {
        Objects.requireNonNull(text, "text");
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with {@code text} as a URL for this kit, or null; never repeats the URL. */
    static String problem(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(PREFIX)) {
            return "must be a JDBC URL of Microsoft's driver, such as"
                    + " \"jdbc:sqlserver://127.0.0.1:1433;databaseName=sales;encrypt=true\"";
        }
        if (lower.matches(".*;\\s*password\\s*=.*")) {
            return "must not contain the password: remove it from the URL and name where to read it with"
                    + " password-env, password-file or password-secret-id";
        }
        if (serverOf(text).isBlank()) {
            return "names no server: write jdbc:sqlserver://host:port";
        }
        return null;
    }

    /** {@code host[\instance][:port]}, for messages. */
    String server() {
        return serverOf(text);
    }

    /** Whether the URL sets {@code property} itself. */
    boolean sets(String property) {
        return text.toLowerCase(Locale.ROOT).matches(".*;\\s*" + property.toLowerCase(Locale.ROOT) + "\\s*=.*");
    }

    private static String serverOf(String text) {
        String rest = text.substring(PREFIX.length());
        int end = rest.indexOf(';');
        return end < 0 ? rest : rest.substring(0, end);
    }

    @Override
    public String toString() {
        return "SqlServerUrl[" + server() + "]";
    }
}
