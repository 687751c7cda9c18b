package dev.kawari.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;

/**
 * Binds the engine: kits found on the class path, the system clock and sleeper, one event bus. An
 * application that embeds Kawari installs this module in its own injector (and may override the
 * clock, the sleeper or the kits with {@code Modules.override}).
 */
public class EngineModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(EventBus.class).in(Singleton.class);
        bind(ConfigLoader.class).in(Singleton.class);
        bind(Engine.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    KitRegistry kits() {
        return KitRegistry.discover(Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : EngineModule.class.getClassLoader());
    }

    @Provides
    @Singleton
    TimeSource time() {
        return TimeSource.system();
    }

    @Provides
    @Singleton
    Sleeper sleeper() {
        return Sleeper.system();
    }
}
