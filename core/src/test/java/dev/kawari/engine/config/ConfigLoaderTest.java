package dev.kawari.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.NodeIdentity;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    /** Sees only the fake kit's reference.conf, whatever else the test class path holds. */
    private static final ClassLoader FAKE_KIT_REFERENCES = new URLClassLoader(
            new URL[] {ConfigLoaderTest.class.getResource("/config/fake-kit/")}, null);

    @TempDir
    Path dir;

    private final FakeKit kit = new FakeKit();

    private ConfigLoader loader() {
        return new ConfigLoader(KitRegistry.of(List.of(kit), FAKE_KIT_REFERENCES));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private List<String> problems(Path file) {
        return problems(file, ConfigFactory.empty());
    }

    private List<String> problems(Path file, Config overrides) {
        try (KawariConfig unexpected = loader().load(file, overrides)) {
            throw new AssertionError("expected " + file + " to be rejected, got " + unexpected);
        } catch (InvalidConfigException invalid) {
            return invalid.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    private static String at(Path file, int line, String message) {
        return file + ":" + line + ": " + message;
    }

    // ------------------------------------------------------------------ sections declared by kits

    @Test
    void kitsSeeTheirDeclaredSectionWithDefaults() throws IOException {
        List<Config> seen = new java.util.ArrayList<>();
        kit.validatingResourcesWith((config, context) -> seen.add(context.section("fake-cloud")));
        Path file = write("kawari.conf", """
                kawari {
                  cluster = c
                  fake-cloud { region = "eu-west-1", endpoints { api = "http://127.0.0.1:5000" } }
                  nodes { a {} }
                  services.s.resources.r { type = fake }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.services()).hasSize(1);
        }

        assertThat(seen).singleElement().satisfies(section -> {
            assertThat(section.getString("region")).isEqualTo("eu-west-1");
            assertThat(section.getString("endpoints.api")).isEqualTo("http://127.0.0.1:5000");
            assertThat(section.getInt("retries")).isEqualTo(3);
        });
    }

    @Test
    void unknownKeyInADeclaredSectionIsRejectedWithSuggestion() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = c
                  fake-cloud {
                    regoin = "eu-west-1"
                  }
                  nodes { a {} }
                  services.s.resources.r { type = fake-vip }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 4, "unknown key 'regoin' in fake-cloud (did you mean 'region'?)"));
    }

    @Test
    void undeclaredTopLevelSectionIsStillUnknown() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = c
                  fake-clod { region = x }
                  nodes { a {} }
                  services.s.resources.r { type = fake-vip }
                }
                """);

        assertThat(problems(file)).singleElement().asString()
                .startsWith(file + ":3: unknown key 'fake-clod'").contains("did you mean 'fake-cloud'");
    }

    // ------------------------------------------------------------------ a valid file

    @Test
    void validFileProducesSpecsInFileOrder() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "directory-prod"
                  nodes {
                    node-b { priority = 2, instance-id = "i-0bbb", region = "us-east-1", eni = "eni-b", interface = "eth0" }
                    node-a { instance-id = "i-0aaa" }
                  }
                  coordinator { type = embedded }
                  event-log = "/var/log/kawari/events.jsonl"
                  services {
                    zeta {
                      resources {
                        web { type = fake, command = [serve], depends-on = [data, vip] }
                        data { type = fake, command = [mount], timeouts { start = 30s } }
                        vip { type = fake-vip }
                      }
                      monitors {
                        http { type = fake-probe, target = web }
                        disk {
                          type = fake-probe, target = data, interval = 30s, timeout = 2s
                          failure-threshold = 1, max-local-recoveries = 0, recovery-window = 10m
                          path = "/disk"
                        }
                      }
                    }
                    alpha {
                      resources { only { type = fake-vip } }
                    }
                  }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.source()).isEqualTo(file.toString());
            assertThat(config.cluster()).isEqualTo("directory-prod");
            assertThat(config.nodes()).containsExactly(
                    new NodeSpec(new NodeIdentity("node-b", Map.of("instance-id", "i-0bbb", "region", "us-east-1",
                            "eni", "eni-b", "interface", "eth0")), 2),
                    new NodeSpec(new NodeIdentity("node-a", Map.of("instance-id", "i-0aaa")), NodeSpec.DEFAULT_PRIORITY));
            assertThat(config.eventLog()).contains(Path.of("/var/log/kawari/events.jsonl"));
            assertThat(config.services()).extracting(ServiceSpec::name).containsExactly("zeta", "alpha");

            ServiceSpec zeta = config.service("zeta").orElseThrow();
            assertThat(zeta.resources()).extracting(ResourceSpec::id).containsExactly("web", "data", "vip");
            ResourceSpec web = zeta.resource("web").orElseThrow();
            assertThat(web.type()).isEqualTo("fake");
            assertThat(web.dependsOn()).containsExactly("data", "vip");
            assertThat(web.location()).isEqualTo(file + ":12");
            assertThat(web.instance()).isSameAs(kit.resources.get(0));

            assertThat(zeta.monitors()).extracting(MonitorSpec::id).containsExactly("http", "disk");
            MonitorSpec http = zeta.monitors().get(0);
            assertThat(http).isEqualTo(new MonitorSpec("http", "fake-probe", "web", MonitorSpec.DEFAULT_INTERVAL,
                    MonitorSpec.DEFAULT_TIMEOUT, MonitorSpec.DEFAULT_FAILURE_THRESHOLD,
                    MonitorSpec.DEFAULT_MAX_LOCAL_RECOVERIES, MonitorSpec.DEFAULT_RECOVERY_WINDOW,
                    kit.probes.get(0), file + ":17", http.config()));
            assertThat(http.config().hasPath("interval")).as("engine keys are not the kit's").isFalse();
            MonitorSpec disk = zeta.monitors().get(1);
            assertThat(disk.interval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(disk.timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(disk.failureThreshold()).isEqualTo(1);
            assertThat(disk.maxLocalRecoveries()).isZero();
            assertThat(disk.recoveryWindow()).isEqualTo(Duration.ofMinutes(10));
            assertThat(disk.location()).isEqualTo(file + ":18");
        }
    }

    @Test
    void kitsSeeTheirKeysWithDefaultsButNotTheEngineKeys() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a { instance-id = "i-0aaa", eni = "eni-1" } }
                  services.demo {
                    resources {
                      web { type = fake, command = [serve], depends-on = [], timeouts { start = 30s } }
                    }
                    monitors { http { type = fake-probe, target = web, interval = 3s } }
                  }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.service("demo")).isPresent();
            Config web = kit.resourceDefinitions.get(0).config();
            assertThat(web.getStringList("command")).containsExactly("serve");
            assertThat(web.getDuration("timeouts.start")).isEqualTo(Duration.ofSeconds(30));
            assertThat(web.getDuration("timeouts.stop")).isEqualTo(Duration.ofSeconds(5));
            assertThat(web.hasPathOrNull("password")).isTrue();
            assertThat(web.hasPath("type")).isFalse();
            assertThat(web.hasPath("depends-on")).isFalse();
            assertThat(kit.resourceDefinitions.get(0)).extracting("service", "id", "type")
                    .containsExactly("demo", "web", "fake");

            Config http = kit.monitorDefinitions.get(0).config();
            assertThat(http.getString("path")).isEqualTo("/health");
            assertThat(http.hasPath("target")).isFalse();
            assertThat(http.hasPath("interval")).isFalse();
            assertThat(kit.monitorDefinitions.get(0).target()).isEqualTo("web");

            assertThat(kit.clusterSeen).isEqualTo("c1");
            assertThat(kit.nodesSeen).containsExactly(Map.entry("node-a",
                    new NodeIdentity("node-a", Map.of("instance-id", "i-0aaa", "eni", "eni-1"))));
        }
    }

    @Test
    void dependsOnAcceptsASingleId() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    data { type = fake-vip }
                    web { type = fake-vip, depends-on = data }
                  }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.service("demo").orElseThrow().resource("web").orElseThrow().dependsOn())
                    .containsExactly("data");
        }
    }

    @Test
    void otherTopLevelKeysAreAllowed() throws IOException {
        Path file = write("kawari.conf", """
                helpers { command = [serve, "--port", 8080] }
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources.web { type = fake, command = ${helpers.command} }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.cluster()).isEqualTo("c1");
            assertThat(kit.resourceDefinitions.get(0).config().getStringList("command"))
                    .containsExactly("serve", "--port", "8080");
        }
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void syntaxErrorIsReportedOnceWithItsLine() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a { priority = 1 }
                  services = [1, 2
                }
                """);

        assertThat(problems(file)).singleElement().asString()
                .startsWith(file + ":5: List should have had new element after a comma")
                .doesNotContain(file + ": 5");
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("nowhere.conf");

        assertThat(problems(file)).containsExactly(at(file, 0, "no such file"));
    }

    @Test
    void unresolvableSubstitutionIsReportedAtItsLine() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = ${cluster-name}
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 2, "Could not resolve substitution to a value: ${cluster-name}"));
    }

    @Test
    void includedFileProblemsNameTheIncludedFile() throws IOException {
        Path services = write("services.conf", """
                # services of the test cluster
                demo {
                  resources {
                    web { type = fake, comand = [serve] }
                  }
                }
                """);
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services { include "services.conf" }
                }
                """);

        assertThat(problems(file)).containsExactlyInAnyOrder(
                at(services, 4, "unknown key 'comand' in resource 'web' (did you mean 'command'?)"),
                at(services, 4, "missing required key 'command'"));
    }

    @Test
    void overridesWinAndFeedEnvironmentStyleSubstitutions() throws IOException {
        Path file = write("kawari.conf", """
                demo-dir = "/var/lib/demo"
                demo-dir = ${?KAWARI_TEST_DEMO_DIR_NOT_SET_IN_ANY_ENVIRONMENT}
                kawari {
                  cluster = "from-file"
                  nodes { node-a {} }
                  services.demo.resources.web { type = fake, command = [serve, ${demo-dir}] }
                }
                """);
        Config overrides = ConfigFactory.parseMap(Map.of(
                "KAWARI_TEST_DEMO_DIR_NOT_SET_IN_ANY_ENVIRONMENT", "/tmp/override",
                "kawari.cluster", "from-override"));

        try (KawariConfig config = loader().load(file, overrides)) {
            assertThat(config.cluster()).isEqualTo("from-override");
            assertThat(kit.resourceDefinitions.get(0).config().getStringList("command"))
                    .containsExactly("serve", "/tmp/override");
        }
        try (KawariConfig config = loader().load(file)) {
            assertThat(config.cluster()).isEqualTo("from-file");
            assertThat(kit.resourceDefinitions.get(1).config().getStringList("command"))
                    .containsExactly("serve", "/var/lib/demo");
        }
    }

    @Test
    void optionalSubstitutionFallsBackToTheEnvironment() throws IOException {
        String path = System.getenv("PATH");
        assumeTrue(path != null, "needs the PATH environment variable");
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources.web { type = fake, command = [echo, ${?PATH}] }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThat(config.service("demo")).isPresent();
            assertThat(kit.resourceDefinitions.get(0).config().getStringList("command"))
                    .containsExactly("echo", path);
        }
    }

    @Test
    void blockChangedByAnOverrideIsStillLocatedInTheFile() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources { web { type = fake, command = [serve] } }
                    monitors {
                      http { type = fake-probe }
                    }
                  }
                }
                """);
        Config overrides = ConfigFactory.parseMap(Map.of("kawari.services.demo.monitors.http.path", "/ready"));

        assertThat(problems(file, overrides)).containsExactly(
                at(file, 7, "missing required key 'target' in monitor 'http'"));
    }

    @Test
    void loadsAFileFromTheClassPathWithItsIncludes() {
        try (KawariConfig config = loader().loadResource(
                "config/classpath/valid.conf", getClass().getClassLoader(), ConfigFactory.empty())) {
            assertThat(config.source()).isEqualTo("config/classpath/valid.conf");
            assertThat(config.service("demo").orElseThrow().resources()).extracting(ResourceSpec::location)
                    .containsExactlyInAnyOrder("config/classpath/valid.conf:5", "config/classpath/more-resources.conf:2");
        }
    }

    @Test
    void classPathProblemsNameTheResource() {
        assertThatThrownBy(() -> loader().loadResource(
                "config/classpath/invalid.conf", getClass().getClassLoader(), ConfigFactory.empty()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("config/classpath/invalid.conf:5: unknown resource type 'fkae' "
                        + "(did you mean 'fake'?); known types: fake, fake-vip");
        assertThatThrownBy(() -> loader().loadResource(
                "config/classpath/absent.conf", getClass().getClassLoader(), ConfigFactory.empty()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("config/classpath/absent.conf:0: ");
    }

    // ------------------------------------------------------------------ engine keys

    @Test
    void unknownResourceTypeSuggestsTheClosestAndListsTheKnown() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources {
                      web {
                        type = fkae
                        command = [serve]
                      }
                    }
                    monitors { http { type = probe, target = web } }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 7, "unknown resource type 'fkae' (did you mean 'fake'?); known types: fake, fake-vip"),
                at(file, 11, "unknown monitor type 'probe'; known types: fake-probe"));
    }

    @Test
    void misspelledKeysSuggestTheKnownKeyAtEveryLevel() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a { prority = 1 } }
                  coordinator { type = embedded, tpye = embedded }
                  services.demo {
                    resources {
                      web {
                        type = fake
                        command = [serve]
                        depend-on = [data]
                        timeouts { strat = 5s }
                        environment { ANY_NAME = yes, nested { deeper = 1 } }
                      }
                      data { type = fake-vip, comand = [mount] }
                    }
                    monitors { http { type = fake-probe, target = web, intreval = 5s, paht = "/" } }
                    switchbak = intelligent
                  }
                  clustr = "c2"
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 3, "unknown key 'prority' in node 'node-a' (did you mean 'priority'?)"),
                at(file, 4, "unknown key 'tpye' in coordinator (did you mean 'type'?)"),
                at(file, 10, "unknown key 'depend-on' in resource 'web' (did you mean 'depends-on'?)"),
                at(file, 11, "unknown key 'timeouts.strat' in resource 'web' (did you mean 'timeouts.start'?)"),
                at(file, 14, "unknown key 'comand' in resource 'data'"),
                at(file, 16, "unknown key 'intreval' in monitor 'http' (did you mean 'interval'?)"),
                at(file, 16, "unknown key 'paht' in monitor 'http' (did you mean 'path'?)"),
                at(file, 17, "unknown key 'switchbak' in service 'demo' (did you mean 'switchback'?)"),
                at(file, 19, "unknown key 'clustr' in kawari (did you mean 'cluster'?)"));
    }

    @Test
    void missingRequiredKeysAreReportedAtTheEnclosingBlock() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  nodes { node-a {} }
                  services {
                    demo {
                      resources {
                        web { command = [serve] }
                      }
                      monitors {
                        http { type = fake-probe }
                      }
                    }
                    empty { monitors {} }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 1, "missing required key 'cluster' in kawari"),
                at(file, 6, "missing required key 'type' in resource 'web'"),
                at(file, 9, "missing required key 'target' in monitor 'http'"),
                at(file, 12, "missing required key 'resources' in service 'empty'"));
    }

    @Test
    void missingKawariObjectSuggestsAMisspelledOne() throws IOException {
        Path file = write("kawari.conf", """
                kawrai {
                  cluster = "c1"
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 1, "missing required key 'kawari' (did you mean 'kawrai'?)"));
    }

    @Test
    void emptyCollectionsAndBadNamesAreRejected() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = ""
                  nodes {}
                  services {
                    "web site" { resources {} }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 2, "'cluster' must not be empty"),
                at(file, 3, "'nodes' must name at least one node"),
                at(file, 5, "'resources' in service 'web site' must name at least one resource"),
                at(file, 5, "service name 'web site' must start with a letter or digit and contain only letters, "
                        + "digits, '.', '_' and '-'"));
    }

    @Test
    void wrongValueTypesSayWhatWasExpected() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = [a, b]
                  nodes { node-a { priority = high, region = [us-east-1] }, node-b = "i-0bbb" }
                  event-log = { path = "/var/log" }
                  services.demo {
                    resources {
                      web { type = fake-vip, depends-on = { data = true } }
                      data { type = fake-vip, depends-on = [[vip]] }
                    }
                    monitors = [http]
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 2, "expected a string for 'cluster' in kawari, got a list"),
                at(file, 3, "expected a string for 'region' in node 'node-a', got a list"),
                at(file, 3, "expected a whole number for 'priority' in node 'node-a', got 'high'"),
                at(file, 3, "expected an object for node 'node-b', got a string"),
                at(file, 4, "expected a string for 'event-log' in kawari, got an object"),
                at(file, 7, "expected a resource id or a list of resource ids for 'depends-on' in resource 'web', "
                        + "got an object"),
                at(file, 8, "expected a resource id in 'depends-on' of resource 'data', got a list"),
                at(file, 10, "expected an object for 'monitors' in service 'demo', got a list"));
    }

    @Test
    void unknownCoordinatorTypeIsRejected() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  coordinator {
                    type = embeded
                  }
                  services.demo.resources.web { type = fake-vip }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 5, "unknown coordinator type 'embeded' (did you mean 'embedded'?); known types: embedded"));
    }

    @Test
    void nodesMayNotShareAnInstance() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes {
                    node-a { instance-id = "i-0aaa" }
                    node-b { instance-id = "i-0aaa" }
                  }
                  services.demo.resources.web { type = fake-vip }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 5, "nodes 'node-a' and 'node-b' have the same instance-id 'i-0aaa'"));
    }

    @Test
    void negativeNumbersAreRejected() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a { priority = -1 } }
                  services.demo {
                    resources { web { type = fake-vip } }
                    monitors {
                      http {
                        type = fake-probe, target = web
                        failure-threshold = -1
                        max-local-recoveries = -2
                      }
                      ping { type = fake-probe, target = web, failure-threshold = 0, max-local-recoveries = 2.5 }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 3, "priority must be at least 0, got -1"),
                at(file, 9, "failure-threshold must be at least 1, got -1"),
                at(file, 10, "max-local-recoveries must be at least 0, got -2"),
                at(file, 12, "expected a whole number for 'max-local-recoveries' in monitor 'ping', got '2.5'"),
                at(file, 12, "failure-threshold must be at least 1, got 0"));
    }

    @Test
    void malformedAndNonPositiveDurationsAreRejected() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources { web { type = fake-vip } }
                    monitors {
                      http {
                        type = fake-probe, target = web
                        interval = 5 sekonds
                        timeout = 0s
                        recovery-window = -1h
                      }
                      ping { type = fake-probe, target = web, interval = 10, timeout = [5s] }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 9, "malformed duration '5 sekonds' for 'interval': use a HOCON duration such as 10s, 500ms or 2m"),
                at(file, 10, "timeout must be greater than 0, got 0s"),
                at(file, 11, "recovery-window must be greater than 0, got -1h"),
                at(file, 13, "duration '10' for 'interval' has no unit (it would mean milliseconds): use a HOCON "
                        + "duration such as 10s, 500ms or 2m"),
                at(file, 13, "expected a duration such as 10s for 'timeout' in monitor 'ping', got a list"));
    }

    // ------------------------------------------------------------------ dependencies and targets

    @Test
    void dependencyOnAnUnknownResourceSuggestsTheClosest() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    data { type = fake-vip }
                    web {
                      type = fake-vip
                      depends-on = [dta, queue]
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 8, "resource 'web' depends on unknown resource 'dta' in service 'demo' (did you mean 'data'?)"),
                at(file, 8, "resource 'web' depends on unknown resource 'queue' in service 'demo'"));
    }

    @Test
    void dependencyCyclesAreNamedOncePerCycle() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    c { type = fake-vip, depends-on = [a] }
                    a { type = fake-vip, depends-on = [b] }
                    b { type = fake-vip, depends-on = [c] }
                    d { type = fake-vip, depends-on = [d, a] }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 5, "dependency cycle in service 'demo': c -> a -> b -> c"),
                at(file, 8, "dependency cycle in service 'demo': d -> d"));
    }

    @Test
    void duplicateDependencyIsReported() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    data { type = fake-vip }
                    web { type = fake-vip, depends-on = [data, data] }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 6, "resource 'web' lists 'data' more than once in 'depends-on'"));
    }

    @Test
    void monitorTargetMustBeAResourceOfTheService() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources { web { type = fake-vip } }
                    monitors {
                      http {
                        type = fake-probe
                        target = wbe
                      }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 9, "monitor 'http' targets unknown resource 'wbe' in service 'demo' (did you mean 'web'?)"));
    }

    // ------------------------------------------------------------------ all at once

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a { priority = -5 } }
                  services {
                    demo {
                      resources {
                        web { type = exce, depends-on = [dta] }
                        data { type = fake, command = [mount], timeouts { strat = 1s } }
                      }
                      monitors {
                        http { type = fake-probe, target = wbe, interval = 5 sekonds, failure-threshold = -1 }
                      }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 3, "priority must be at least 0, got -5"),
                at(file, 7, "resource 'web' depends on unknown resource 'dta' in service 'demo' (did you mean 'data'?)"),
                at(file, 7, "unknown resource type 'exce'; known types: fake, fake-vip"),
                at(file, 8, "unknown key 'timeouts.strat' in resource 'data' (did you mean 'timeouts.start'?)"),
                at(file, 11, "failure-threshold must be at least 1, got -1"),
                at(file, 11, "malformed duration '5 sekonds' for 'interval': use a HOCON duration such as 10s, 500ms or 2m"),
                at(file, 11, "monitor 'http' targets unknown resource 'wbe' in service 'demo' (did you mean 'web'?)"));
    }

    // ------------------------------------------------------------------ kit validation

    @Test
    void kitProblemsPointAtTheKeyTheyConcern() throws IOException {
        kit.validatingResourcesWith((config, context) -> {
            context.problem("command", "'command' must name a program");
            context.problem("timeouts.stop", "'timeouts.stop' must not exceed 'timeouts.start'");
            context.problem("directory", "missing required key 'directory'");
        });
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    web {
                      type = fake
                      command = []
                      timeouts {
                        start = 1s
                        stop = 2s
                      }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 5, "missing required key 'directory'"),
                at(file, 7, "'command' must name a program"),
                at(file, 10, "'timeouts.stop' must not exceed 'timeouts.start'"));
    }

    @Test
    void kitReadingABadValueIsReportedAtTheValue() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    web {
                      type = fake, command = [serve]
                      timeouts { start = soon }
                    }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 7, "Invalid value at 'timeouts.start': No number in duration value 'soon'"));
    }

    @Test
    void kitBugIsAnInternalErrorNamingTheKit() throws IOException {
        kit.validatingResourcesWith((config, context) -> {
            throw new IllegalStateException("forgot to handle this");
        });
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources {
                    web { type = fake, command = [serve] }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(
                at(file, 5, "internal error in kit 'fake-kit' validating resource 'web': forgot to handle this"));
    }

    @Test
    void kitCannotReportAProblemAfterCreateReturned() throws IOException {
        List<dev.kawari.spi.KitContext> kept = new java.util.ArrayList<>();
        kit.validatingResourcesWith((config, context) -> kept.add(context));
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo.resources.web { type = fake, command = [serve] }
                }
                """);

        try (KawariConfig config = loader().load(file)) {
            assertThatThrownBy(() -> kept.get(0).problem("command", "too late"))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(kept.get(0).cluster()).isEqualTo(config.cluster());
        }
    }

    @Test
    void kitIsNotAskedWhenTheEngineKeysAreBroken() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources { web { type = fake, depends-on = {} } }
                    monitors { http { type = fake-probe, target = web, timeout = never } }
                  }
                }
                """);

        assertThat(problems(file)).hasSize(2);
        assertThat(kit.resourceDefinitions).isEmpty();
        assertThat(kit.monitorDefinitions).isEmpty();
    }

    @Test
    void secretValuesAreNeverQuoted() throws IOException {
        kit.validatingResourcesWith((config, context) -> {
            context.problem("password", "password '" + config.getString("password") + "' is too short");
            config.getDuration("password");
        });
        kit.validatingProbesWith((config, context) -> {
            throw new IllegalArgumentException("cannot log in with " + config.getString("token"));
        });
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources {
                      web {
                        type = fake, command = [serve]
                        password = "hunter2"
                      }
                    }
                    monitors {
                      http {
                        type = fake-probe, target = web
                        token = "s3cr3t-t0ken"
                      }
                    }
                  }
                }
                """);

        List<String> problems = problems(file);

        assertThat(problems).containsExactly(
                at(file, 8, "Invalid value at 'password': Could not parse duration number '<secret>'"),
                at(file, 8, "password '<secret>' is too short"),
                at(file, 12, "internal error in kit 'fake-kit' validating monitor 'http': cannot log in with <secret>"));
        assertThat(String.join("\n", problems)).doesNotContain("hunter2", "s3cr3t-t0ken");
    }

    @Test
    void everyInstanceIsClosedWhenTheFileIsInvalid() throws IOException {
        kit.validatingProbesWith((config, context) -> context.problem("path", "unreachable"));
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources {
                      web { type = fake, command = [serve] }
                      data { type = fake-vip }
                    }
                    monitors { http { type = fake-probe, target = web } }
                  }
                }
                """);

        assertThat(problems(file)).containsExactly(at(file, 9, "unreachable"));
        assertThat(kit.resources).hasSize(2).allSatisfy(resource -> assertThat(resource.closed).isTrue());
        assertThat(kit.probes).hasSize(1).allSatisfy(probe -> assertThat(probe.closed).isTrue());
    }

    @Test
    void validConfigurationClosesItsInstances() throws IOException {
        Path file = write("kawari.conf", """
                kawari {
                  cluster = "c1"
                  nodes { node-a {} }
                  services.demo {
                    resources { web { type = fake, command = [serve] } }
                    monitors { http { type = fake-probe, target = web } }
                  }
                }
                """);

        KawariConfig config = loader().load(file);
        assertThat(kit.resources.get(0).closed).isFalse();
        config.close();

        assertThat(kit.resources.get(0).closed).isTrue();
        assertThat(kit.probes.get(0).closed).isTrue();
        assertThat(config.eventLog()).isEqualTo(Optional.empty());
    }
}
