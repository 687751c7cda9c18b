package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.Slf4jEventLog;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import dev.kawari.testkit.SilentServer;
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
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * No password reaches an event, the JSON-lines event log, an SLF4J log line (Kawari's and the AWS
 * SDK's, at DEBUG) or a java.util.logging record (the JDBC driver's, at FINE), in a real engine run
 * that reads the password from each source (an environment variable, a file, a Secrets Manager secret
 * in the emulator), verifies, logs in (to servers that refuse or never answer), restores, rolls back,
 * checks and removes, with a source that cannot be read beside it; nor a configuration problem about a
 * password written where it must not be. Where Docker answers, the run also logs in to a real SQL
 * Server, successfully and with a wrong password.
 */
class SqlServerPasswordRedactionIT {
    @RegisterExtension
    static final AwsEndpointExtension aws = new AwsEndpointExtension();

    private static final String PASSWORD = "Redact-Me-" + Long.toHexString(System.nanoTime());

    /** Where a run reads its passwords. */
    enum Source {
        ENVIRONMENT, FILE, SECRETS_MANAGER
    }

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> julRecords = new CopyOnWriteArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final Map<String, String> environment = new ConcurrentHashMap<>();
    private final List<Logger> capturedLoggers = List.of((Logger) LoggerFactory.getLogger("dev.kawari"),
            (Logger) LoggerFactory.getLogger("software.amazon.awssdk"));
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Logger julDriver = java.util.logging.Logger.getLogger("com.microsoft.sqlserver");
    private final Handler julCapture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            julRecords.add(format.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final List<Level> previousLevels = new ArrayList<>();
    private java.util.logging.Level previousDriverLevel;
    private SecretsManagerClient secrets;

    @BeforeEach
    void capture() {
        logs.start();
        for (Logger logger : capturedLoggers) {
            previousLevels.add(logger.getLevel());
            logger.setLevel(Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(logs);
        }
        previousDriverLevel = julDriver.getLevel();
        julDriver.setLevel(java.util.logging.Level.FINE);
        julCapture.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julCapture);
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
        julDriver.setLevel(previousDriverLevel);
        julRoot.removeHandler(julCapture);
        secrets.close();
    }

    private Path config(String body) throws Exception {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, body);
        return file;
    }

    /** The engine with the SQL Server kit reading this test's environment. */
    private Engine engine(EventBus bus) {
        KitRegistry kits = KitRegistry.of(List.of(new SqlServerKit(environment::get)), getClass().getClassLoader());
        return new Engine(kits, new ConfigLoader(kits), TimeSource.system(), Sleeper.system(), bus);
    }

    /** Puts {@code value} under {@code name} in {@code source}'s store and returns the keys that read it there. */
    private String passwordKeys(Source source, String name, String value) throws Exception {
        switch (source) {
            case ENVIRONMENT -> {
                String variable = "KAWARI_TEST_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
                environment.put(variable, value);
                return "password-env = " + variable;
            }
            case FILE -> {
                Path file = dir.resolve(name + ".password");
                Files.writeString(file, value + "\n");
                return "password-file = \"" + file + "\"";
            }
            case SECRETS_MANAGER -> {
                String id = "kawari/" + name;
                secrets.createSecret(request -> request.name(id).secretString("{\"username\": \"sa\", \"password\": \""
                        + value + "\"}"));
                return "password-secret-id = \"" + id + "\", password-secret-json-key = password";
            }
        }
        throw new IllegalArgumentException(String.valueOf(source));
    }

    /** Keys naming a source that has nothing to read. */
    private String unreadableKeys(Source source) {
        return switch (source) {
            case ENVIRONMENT -> "password-env = KAWARI_TEST_ABSENT";
            case FILE -> "password-file = \"" + dir.resolve("absent.password") + "\"";
            case SECRETS_MANAGER -> "password-secret-id = \"kawari/absent\"";
        };
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void anEngineRunLeavesNoPasswordInEventsOrLogs(Source source) throws Exception {
        String keys = passwordKeys(source, "sql", PASSWORD);
        StringBuilder monitors = new StringBuilder();
        Map<String, CheckResult> checked = new LinkedHashMap<>();
        String verified = "";
        try (SilentServer hung = new SilentServer()) {
            int refused = SilentServer.closedPort();
            monitors.append(monitor("hung", hung.port(), keys));
            monitors.append(monitor("refused", refused, keys));
            monitors.append(monitor("unreadable", refused, unreadableKeys(source)));
            if (SqlServerDocker.available()) {
                monitors.append(real("real", passwordKeys(source, "real", SqlServerDocker.container().getPassword())));
                monitors.append(real("wrong", passwordKeys(source, "wrong", "Wrong-" + PASSWORD)));
            }
            Path file = config("""
                    kawari {
                      cluster = test
                      %s
                      nodes { node-a {} }
                      event-log = "%s"
                      services.sql {
                        resources.mssql {
                          type = sqlserver, start = ["true"], stop = ["true"], ready-timeout = 1s
                          url = "jdbc:sqlserver://127.0.0.1:%d;encrypt=false", user = sa
                          %s, login-timeout = 1s
                        }
                        monitors { %s }
                      }
                    }
                    """.formatted(aws.endpoint().awsSectionHocon(), dir.resolve("events.jsonl"), hung.port(), keys,
                    monitors));
            EventBus bus = new EventBus();
            bus.subscribe(events::add);
            bus.subscribe(new Slf4jEventLog());
            Engine engine = engine(bus);
            try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
                try {
                    node.verify();
                } catch (InvalidConfigException expected) {
                    verified = expected.getMessage();
                }
                assertThat(node.restoreAll().get("sql").ok()).as("nothing answers, so restore fails").isFalse();
                checked.putAll(node.service("sql").orElseThrow().checkOnce(List.of()));
                node.removeAll();
            }
        }

        assertThat(verified).as("verify reports the unreadable source").containsIgnoringCase("absent");
        assertThat(events).anyMatch(event -> event.kind() == EventKind.FAILOVER_REQUESTED
                && event.message().contains("SQLSERVER_NOT_READY"));
        assertThat(checked).as("the monitors ran").containsKeys("mssql", "monitor:hung", "monitor:refused",
                "monitor:unreadable");
        assertThat(checked.get("monitor:hung").status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(checked.get("monitor:refused").status()).as("the password was read").isEqualTo(
                CheckResult.Status.UNHEALTHY);
        assertThat(checked.get("monitor:unreadable").status()).as("a configuration problem, never Unhealthy")
                .isEqualTo(CheckResult.Status.UNKNOWN);
        assertThat(checked.get("monitor:unreadable").reason()).contains("SQLSERVER_PASSWORD_UNAVAILABLE");
        if (SqlServerDocker.available()) {
            assertThat(checked.get("monitor:real")).isEqualTo(CheckResult.healthy());
            assertThat(checked.get("monitor:wrong").status()).isEqualTo(CheckResult.Status.UNKNOWN);
        }
        checked.values().forEach(result -> answers.add(result.reason()));
        answers.add(verified);
        assertNoTraceOf(PASSWORD, source);
        if (SqlServerDocker.available()) {
            assertNoTraceOf(SqlServerDocker.container().getPassword(), source);
        }
    }

    private static String monitor(String id, int port, String keys) {
        return id + " { type = sqlserver, target = mssql, url = \"jdbc:sqlserver://127.0.0.1:" + port
                + ";encrypt=false\", user = sa, " + keys + ", login-timeout = 1s, timeout = 4s }\n";
    }

    private static String real(String id, String keys) {
        return id + " { type = sqlserver, target = mssql, url = \"" + SqlServerDocker.url() + "\", user = sa, "
                + keys + ", level = 3, databases = [master], monitor-table = \"tempdb.dbo.kawari_redaction\","
                + " timeout = 20s }\n";
    }

    @Test
    void problemsAboutAWrittenPasswordDoNotRepeatIt() throws Exception {
        Path file = config("""
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.sql {
                    resources.mssql {
                      type = sqlserver, start = ["true"], stop = ["true"]
                      url = "jdbc:sqlserver://db;user=sa;password=%1$s", user = sa, password = "%1$s"
                    }
                  }
                }
                """.formatted(PASSWORD));

        InvalidConfigException invalid = catchThrowableOfType(InvalidConfigException.class,
                () -> engine(new EventBus()).configs().load(file).close());

        assertThat(invalid.getMessage()).contains("kawari.conf:7", "must not contain the password",
                "never written").doesNotContain(PASSWORD);
    }

    private void assertNoTraceOf(String password, Source source) throws Exception {
        List<String> texts = new ArrayList<>();
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
        texts.addAll(julRecords);
        texts.addAll(answers);
        assertThat(events).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        if (source == Source.SECRETS_MANAGER) {
            assertThat(events).as("the secret was read through the kit's counted calls").anyMatch(event ->
                    event.message().contains("secretsmanager:GetSecretValue"));
            assertThat(logs.list).as("the AWS SDK's own log lines were captured").anyMatch(line ->
                    line.getLoggerName().startsWith("software.amazon.awssdk"));
        }
        assertThat(texts).as("events and logs").noneMatch(text -> text != null && text.contains(password));
    }
}
