package dev.kawari.app;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password in a file (mode 0400, owned by the agent's user, is the usual choice), read at every
 * use. The file holds the password alone; one trailing line break is not part of it.
 *
 * @param file an absolute path
 * @param unavailable the kit's CONFIGURATION code for a password that cannot be read
 */
public record FilePassword(Path file, ErrorCode unavailable) implements PasswordSource {
    /** A password file longer than this is a mistake (a key store, a log), not a password. */
    static final int MAX_BYTES = 64 * 1024;

    public FilePassword {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(unavailable, "unavailable");
    }

    @Override
    public Password read(OperationContext context) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            // The exception names the file and the reason only; it never holds the content.
            throw new KawariException(unavailable, false,
                    "configuration problem: cannot read the password from " + describe() + ": " + e, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw KawariException.permanent(unavailable, "configuration problem: " + describe()
                    + " is longer than " + MAX_BYTES + " bytes; it must hold the password alone");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw KawariException.permanent(unavailable, "configuration problem: " + describe() + " is empty");
        }
        return new Password(text);
    }

    @Override
    public String describe() {
        return "file " + file;
    }

    @Override
    public void verify(String key, OperationContext context, ProblemReporter problems) {
        if (!Files.isRegularFile(file)) {
            problems.problem(key, describe() + " does not exist or is not a regular file");
        } else if (!Files.isReadable(file)) {
            problems.problem(key, describe() + " is not readable by the agent's user");
        }
    }
}
