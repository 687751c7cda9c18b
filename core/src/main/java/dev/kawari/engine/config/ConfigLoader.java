package dev.kawari.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.kawari.engine.kit.KitRegistry;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads a Kawari configuration: parses the HOCON (includes relative to the file), layers the
 * caller's overrides on top, resolves substitutions ({@code ${?ENV}} falls back to environment
 * variables) and validates the {@code kawari} object strictly against the engine's keys and the
 * installed kits' declared keys.
 *
 * <p>Every problem is collected before anything is reported, each located at {@code FILE:LINE}; the
 * only kit code that runs is each type's {@code create}, which by contract touches nothing. Other
 * top-level keys are left alone: HOCON users keep values there to substitute into {@code kawari}.
 *
 * <p>Thread-safe: each load is independent.
 */
public final class ConfigLoader {
    private final KitRegistry registry;

    @Inject
    public ConfigLoader(KitRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Loads {@code file}.
     *
     * @return the validated configuration, which owns the instances the kits built; close it
     * @throws InvalidConfigException listing every problem, when the file is missing or invalid
     */
    public KawariConfig load(Path file) {
        return load(file, ConfigFactory.empty());
    }

    /**
     * Loads {@code file} with {@code overrides} layered on top before substitutions are resolved, so
     * that overrides win over the file and the file's {@code ${…}} substitutions see them.
     *
     * @throws InvalidConfigException listing every problem
     */
    public KawariConfig load(Path file, Config overrides) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(overrides, "overrides");
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(source, 0,
                    Files.isDirectory(file) ? "is a directory, not a configuration file" : "no such file")));
        }
        return validate(source, () -> ConfigFactory.parseFile(file.toFile(), parseOptions()), overrides);
    }

    /**
     * Loads a file from the class path (includes relative to it), as {@link #load(Path, Config)}
     * does; problems are reported against the resource name.
     *
     * @param classpathResource a resource name such as {@code dev/kawari/demo/demo.conf}
     * @throws InvalidConfigException listing every problem, when the resource is missing or invalid
     */
    public KawariConfig loadResource(String classpathResource, ClassLoader loader, Config overrides) {
        Objects.requireNonNull(classpathResource, "classpathResource");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(overrides, "overrides");
        return validate(classpathResource, () -> ConfigFactory.parseResources(
                loader, classpathResource, parseOptions().setClassLoader(loader)), overrides);
    }

    private static ConfigParseOptions parseOptions() {
        return ConfigParseOptions.defaults().setAllowMissing(false);
    }

    private KawariConfig validate(String source, Supplier<Config> parse, Config overrides) {
        Config written;
        Config resolved;
        try {
            written = parse.get();
            resolved = overrides.withFallback(written).resolve();
        } catch (ConfigException e) {
            Location location = e.origin() == null ? new Location(source, 0) : Location.of(e.origin());
            throw new InvalidConfigException(List.of(
                    location.problem(Location.messageWithoutOrigin(e.getMessage(), e.origin()))));
        }
        return new ConfigValidation(registry, new SourceMap(source, written.root())).validate(resolved);
    }
}
