package dev.kawari.engine.config;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration was rejected; {@link #problems()} lists every problem found, sorted by location. */
public final class InvalidConfigException extends KawariException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(ErrorCode.INVALID_CONFIGURATION, false, problems.stream()
                .sorted()
                .map(ConfigProblem::toString)
                .collect(Collectors.joining(System.lineSeparator())));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration has at least one problem");
        }
        this.problems = problems.stream().sorted().toList();
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
