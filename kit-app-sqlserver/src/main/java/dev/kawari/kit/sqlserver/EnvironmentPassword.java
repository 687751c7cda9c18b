package dev.kawari.kit.sqlserver;

import dev.kawari.spi.KawariException;
import dev.kawari.spi.ProblemReporter;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A password in an environment variable of the agent.
 *
 * @param variable the variable's name
 * @param environment reads a variable ({@code System::getenv} in production); null when unset
 */
record EnvironmentPassword(String variable, UnaryOperator<String> environment) implements PasswordSource {
    EnvironmentPassword {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Password read() {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw KawariException.permanent(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE,
                    "configuration problem: the password's " + describe() + " is "
                            + (value == null ? "not set" : "empty") + " in the agent's environment");
        }
        return new Password(value);
    }

    @Override
    public String describe() {
        return "environment variable " + variable;
    }

    @Override
    public void verify(String key, ProblemReporter problems) {
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
