package dev.kawari.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEngineTest {
    @TempDir
    Path dir;

    @Test
    void embeddedEngineRestoresAndRemovesWithKitsFromTheClassPath() throws Exception {
        Path marker = dir.resolve("up");
        Path log = dir.resolve("journal");
        Path config = dir.resolve("kawari.conf");
        Files.writeString(config, """
                kawari {
                  cluster = embedded
                  nodes { here {} }
                  event-log = "%s"
                  services.app.resources.marker { type = exec, start = [touch, "%s"], stop = [rm, "-f", "%s"] }
                }
                """.formatted(log, marker, marker));

        int code = EmbeddedEngine.run(config, "here");

        assertThat(code).isZero();
        assertThat(marker).doesNotExist();
        assertThat(Files.readString(dir.resolve("journal"))).contains("\"subject\":\"marker\"", "\"outcome\":\"IN_SERVICE\"");
    }
}
