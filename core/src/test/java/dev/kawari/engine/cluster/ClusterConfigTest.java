package dev.kawari.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.ConfigProblem;
import dev.kawari.engine.config.FailoverPolicy;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.kit.KitRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster keys: kawari.coordinator and the services' failover keys, validated with FILE:LINE problems. */
class ClusterConfigTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(KitRegistry.of(List.of(new LedgerKit()),
            ClusterConfigTest.class.getClassLoader()));

    private Path write(String text) throws Exception {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void coordinatorAndFailoverKeysAreRead() throws Exception {
        Path file = write("""
                kawari {
                  cluster = c
                  nodes { a { priority = 1 }, b { priority = 2 } }
                  coordinator { type = embedded, directory = "%s", lease-duration = 4s, safety-margin = 1s,
                                renew-interval = 1s }
                  services.s {
                    switchback = automatic
                    switchback-after = 2m
                    failover-cool-down = 5m
                    max-failovers = 2
                    failover-window = 30m
                    priorities { a = 5, b = 1 }
                    resources { r { type = ledger } }
                  }
                }
                """.formatted(dir));
        try (KawariConfig config = loader.load(file)) {
            var coordinator = config.coordinator().orElseThrow();
            assertThat(coordinator.type()).isEqualTo("embedded");
            assertThat(coordinator.leaseDuration()).isEqualTo(Duration.ofSeconds(4));
            assertThat(coordinator.fenceAfter()).isEqualTo(Duration.ofSeconds(3));
            assertThat(coordinator.renewInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(coordinator.takeoverAfter()).isEqualTo(Duration.ofSeconds(5));
            assertThat(coordinator.instance().describe()).contains(dir.resolve("c").toString());
            FailoverPolicy policy = config.service("s").orElseThrow().policy();
            assertThat(policy.switchback()).isEqualTo(FailoverPolicy.Switchback.AUTOMATIC);
            assertThat(policy.switchbackAfter()).isEqualTo(Duration.ofMinutes(2));
            assertThat(policy.coolDown()).isEqualTo(Duration.ofMinutes(5));
            assertThat(policy.maxFailovers()).isEqualTo(2);
            assertThat(config.priority("s", "b")).isEqualTo(1);
            assertThat(config.priority("s", "a")).isEqualTo(5);
        }
    }

    @Test
    void badClusterKeysAreReportedAtTheirLines() throws Exception {
        Path file = write("""
                kawari {
                  cluster = c
                  nodes { a {}, b {} }
                  coordinator {
                    type = embeded
                  }
                  services.s {
                    switchback = sometimes
                    priorities { z = 1 }
                    resources { r { type = ledger } }
                  }
                }
                """);
        List<String> problems = problems(file);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(file + ":5: unknown coordinator type 'embeded'")
                .contains("did you mean 'embedded'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(file + ":8: unknown switchback 'sometimes'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(file + ":9: unknown node 'z'"));
    }

    @Test
    void aSafetyMarginAsLongAsTheLeaseIsRejected() throws Exception {
        Path file = write("""
                kawari {
                  cluster = c
                  nodes { a {} }
                  coordinator {
                    type = embedded
                    lease-duration = 5s
                    safety-margin = 5s
                    lease-duraton = 3s
                  }
                  services.s { resources { r { type = ledger } } }
                }
                """);
        List<String> problems = problems(file);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(file + ":7: safety-margin (PT5S) must be shorter"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(file + ":8: unknown key 'lease-duraton'")
                .contains("did you mean 'lease-duration'"));
    }

    private List<String> problems(Path file) {
        try (KawariConfig unexpected = loader.load(file)) {
            throw new AssertionError("expected " + file + " to be rejected, got " + unexpected);
        } catch (InvalidConfigException invalid) {
            return invalid.problems().stream().map(ConfigProblem::toString).toList();
        }
    }
}
