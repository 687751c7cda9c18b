package dev.kawari.kit.routetable;

import dev.kawari.engine.Engine;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real engine with exactly the given kits (built as a test wants them), recording every event. */
final class KitEngine {
    final Engine engine;
    final List<Event> events = new CopyOnWriteArrayList<>();

    KitEngine(RecoveryKit... kits) {
        KitRegistry registry = KitRegistry.of(List.of(kits), KitEngine.class.getClassLoader());
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        this.engine = new Engine(registry, new ConfigLoader(registry), TimeSource.system(), Sleeper.system(), bus);
    }

    /** Writes {@code hocon} to {@code directory}/kawari.conf. */
    static Path write(Path directory, String hocon) throws IOException {
        Path file = directory.resolve("kawari.conf");
        Files.writeString(file, hocon);
        return file;
    }

    /** The 1-based line of the first line of {@code hocon} containing {@code text}. */
    static int lineOf(String hocon, String text) {
        String[] lines = hocon.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + text);
    }
}
