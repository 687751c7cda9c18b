package dev.kawari.agent;

import com.google.inject.Injector;
import picocli.CommandLine;

/** Lets picocli build commands through Guice, so commands get the engine by constructor injection. */
final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type.getName().startsWith("dev.kawari.")) {
            return injector.getInstance(type);
        }
        return CommandLine.defaultFactory().create(type);
    }
}
