package dev.kawari.app;

import dev.kawari.spi.ErrorCode;
import java.util.Objects;

/**
 * The error codes a kit's commands fail with, so that an operator reads which kit's command failed
 * ({@code EXEC_COMMAND_FAILED}, {@code LDAP_SERVER_COMMAND_FAILED}) while every kit shares one
 * {@link CommandRunner}.
 *
 * @param failed a start or stop command exited with a code other than 0 (EXTERNAL, by convention)
 * @param notFound a command could not be started: its program or working directory is missing, or
 *     not executable (CONFIGURATION)
 * @param outputUnavailable no temporary file for a command's output could be made (EXTERNAL)
 */
public record CommandErrorCodes(ErrorCode failed, ErrorCode notFound, ErrorCode outputUnavailable) {
    public CommandErrorCodes {
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(notFound, "notFound");
        Objects.requireNonNull(outputUnavailable, "outputUnavailable");
    }
}
