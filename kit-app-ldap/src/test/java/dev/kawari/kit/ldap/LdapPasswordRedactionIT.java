package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.Slf4jEventLog;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.aws.AwsEndpointExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * No bind password reaches an event, the JSON-lines event log or an SLF4J log line (Kawari's and the
 * AWS SDK's, at DEBUG) in a real engine run against UnboundID's in-memory directory that reads the
 * password from each source (an environment variable, a file, a Secrets Manager secret in the
 * emulator): a monitor with the right password, one with a wrong one (refused: a configuration
 * problem) and one whose source has nothing to read. DirectoryExampleIT does the same against slapd.
 */
class LdapPasswordRedactionIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static final String WRONG = "Wrong-Pa55-" + Long.toHexString(System.nanoTime());

    /** Where a run reads its passwords. */
    enum Source {
        ENVIRONMENT, FILE, SECRETS_MANAGER
    }

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static InMemoryDirectory directory;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Map<String, String> environment = new ConcurrentHashMap<>();
    private final List<Logger> capturedLoggers = List.of((Logger) LoggerFactory.getLogger("dev.kawari"),
            (Logger) LoggerFactory.getLogger("software.amazon.awssdk"));
    private final List<Level> previousLevels = new ArrayList<>();
    private SecretsManagerClient secrets;

    @BeforeAll
    static void startDirectory() throws Exception {
        directory = new InMemoryDirectory(shared);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @BeforeEach
    void capture() {
        logs.start();
        for (Logger logger : capturedLoggers) {
            previousLevels.add(logger.getLevel());
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(logs);
        }
        secrets = aws.endpoint().secretsManager();
    }

    @AfterEach
    void release() {
        for (int i = 0; i < capturedLoggers.size(); i++) {
            Logger logger = capturedLoggers.get(i);
            logger.detachAppender(logs);
            logger.setAdditive(true);
            logger.setLevel(previousLevels.get(i));
        }
        secrets.close();
    }

    /** Puts {@code value} under {@code name} in {@code source}'s store and returns the keys that read it there. */
    private String passwordKeys(Source source, String name, String value) throws Exception {
        switch (source) {
            case ENVIRONMENT -> {
                String variable = "KAWARI_TEST_" + name.toUpperCase(Locale.ROOT);
                environment.put(variable, value);
                return "bind-password-env = " + variable;
            }
            case FILE -> {
                Path file = dir.resolve(name + ".password");
                Files.writeString(file, value + "\n");
                return "bind-password-file = \"" + file + "\"";
            }
            case SECRETS_MANAGER -> {
                String id = "ldap/" + name;
                secrets.createSecret(request -> request.name(id).secretString("{\"username\": \"monitor\","
                        + " \"password\": \"" + value + "\"}"));
                return "bind-password-secret-id = \"" + id + "\", bind-password-secret-json-key = password";
            }
        }
        throw new IllegalArgumentException(String.valueOf(source));
    }

    private String unreadableKeys(Source source) {
        return switch (source) {
            case ENVIRONMENT -> "bind-password-env = KAWARI_TEST_ABSENT";
            case FILE -> "bind-password-file = \"" + dir.resolve("absent.password") + "\"";
            case SECRETS_MANAGER -> "bind-password-secret-id = \"ldap/absent\"";
        };
    }

    private String monitor(String id, String keys) {
        return id + " { type = ldap, target = slapd, url = \"" + directory.ldapUrl() + "\", base-dns = [\""
                + InMemoryDirectory.SUFFIX + "\"], bind-dn = \"" + InMemoryDirectory.MONITOR_DN + "\", " + keys
                + ", timeout = 4s }\n";
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void anEngineRunLeavesNoPasswordInEventsOrLogs(Source source) throws Exception {
        String monitors = monitor("good", passwordKeys(source, "good", InMemoryDirectory.MONITOR_PASSWORD))
                + monitor("wrong", passwordKeys(source, "wrong", WRONG))
                + monitor("unreadable", unreadableKeys(source));
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  %s
                  nodes { node-a {} }
                  event-log = "%s"
                  services.directory {
                    resources.slapd { type = ldap-server, start = ["true"], stop = ["true"], url = "%s", ready-timeout = 1s }
                    monitors { %s }
                  }
                }
                """.formatted(aws.endpoint().awsSectionHocon(), dir.resolve("events.jsonl"), directory.ldapUrl(),
                monitors));
        EventBus bus = new EventBus();
        bus.subscribe(events::add);
        bus.subscribe(new Slf4jEventLog());
        KitRegistry kits = KitRegistry.of(List.of(new LdapKit(environment::get)), getClass().getClassLoader());
        Engine engine = new Engine(kits, new ConfigLoader(kits), TimeSource.system(), Sleeper.system(), bus);
        Map<String, CheckResult> checked = new LinkedHashMap<>();
        List<String> texts = new ArrayList<>();
        try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
            try {
                node.verify();
            } catch (InvalidConfigException expected) {
                texts.add(expected.getMessage());
            }
            assertThat(node.restoreAll().get("directory").ok()).as("the directory already answers").isTrue();
            checked.putAll(node.service("directory").orElseThrow().checkOnce(List.of()));
            node.removeAll(); // the in-memory directory never stops: remove gives up after its ready-timeout
        }

        assertThat(texts).singleElement().asString().containsIgnoringCase("absent");
        assertThat(checked.get("monitor:good")).isEqualTo(CheckResult.healthy());
        assertThat(checked.get("monitor:wrong").status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(checked.get("monitor:wrong").reason()).contains("LDAP_INVALID_CREDENTIALS");
        assertThat(checked.get("monitor:unreadable").status()).isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(checked.get("monitor:unreadable").reason()).contains("LDAP_PASSWORD_UNAVAILABLE");
        checked.values().forEach(result -> texts.add(result.reason()));
        for (Event event : events) {
            texts.add(event.message());
            texts.addAll(event.details().values());
        }
        texts.addAll(Files.readAllLines(dir.resolve("events.jsonl")));
        for (ILoggingEvent line : logs.list) {
            texts.add(line.getFormattedMessage());
            if (line.getThrowableProxy() != null) {
                texts.add(line.getThrowableProxy().getMessage());
            }
        }
        assertThat(events).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        if (source == Source.SECRETS_MANAGER) {
            assertThat(events).anyMatch(event -> event.message().contains("secretsmanager:GetSecretValue"));
            assertThat(logs.list).anyMatch(line -> line.getLoggerName().startsWith("software.amazon.awssdk"));
        }
        for (String password : List.of(InMemoryDirectory.MONITOR_PASSWORD, WRONG)) {
            assertThat(texts).as("events and logs").noneMatch(text -> text != null && text.contains(password));
        }
    }
}
