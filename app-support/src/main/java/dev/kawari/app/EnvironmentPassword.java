package dev.kawari.app;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A password in an environment variable of the agent (set in its systemd unit, for example).
 *
 * @param variable the variable's name
 * @param environment reads a variable ({@code System::getenv} in production); null when unset
 * @param unavailable the kit's CONFIGURATION code for a password that cannot be read
 */
public record EnvironmentPassword(String variable, UnaryOperator<String> environment, ErrorCode unavailable)
        implements PasswordSource {
    public EnvironmentPassword {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(unavailable, "unavailable");
    }

    @Override
    public Password read(OperationContext context) {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw KawariException.permanent(unavailable, "configuration problem: the password's " + describe()
                    + " is " + (value == null ? "not set" : "empty") + " in the agent's environment");
        }
        return new Password(value);
    }

    @Override
    public String describe() {
        return "environment variable " + variable;
    }

    @Override
    public void verify(String key, OperationContext context, ProblemReporter problems) {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            problems.problem(key, describe() + " is " + (value == null ? "not set" : "empty")
                    + " in the agent's environment");
        }
    }

    @Override
    public String toString() {
        return "EnvironmentPassword[" + variable + "]";
    }
}
