package dev.kawari.kit.sqlserver;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.ProblemReporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password in a file (mode 0400, owned by the agent's user, is the usual choice). The file holds
 * the password alone; one trailing line break is not part of it.
 *
 * @param file an absolute path
 */
record FilePassword(Path file) implements PasswordSource {
    /** A password file longer than this is a mistake (a key store, a log), not a password. */
    static final int MAX_BYTES = 64 * 1024;

    FilePassword {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public Password read() {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            // The exception names the file and the reason only; it never holds the content.
            throw new KawariException(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE, false,
                    "configuration problem: cannot read the password from " + describe() + ": " + e, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw KawariException.permanent(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE, "configuration problem: " + describe()
                    + " is longer than " + MAX_BYTES + " bytes; it must hold the password alone");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw KawariException.permanent(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE,
                    "configuration problem: " + describe() + " is empty");
        }
        return new Password(text);
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    @Override
    public void verify(String key, ProblemReporter problems) {
        if (!Files.isRegularFile(file)) {
            problems.problem(key, describe() + " does not exist or is not a regular file");
        } else if (!Files.isReadable(file)) {
            problems.problem(key, describe() + " is not readable by the agent's user");
        }
    }
}
