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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No password reaches an event, the JSON-lines event log, an SLF4J log line (kit notes included, at
 * DEBUG) or a java.util.logging record (the JDBC driver's), in a real engine run that reads the password,
 * logs in (to servers that refuse or never answer), restores, rolls back and checks; nor a configuration
 * problem about a password written where it must not be. Where Docker answers, the run also logs in to a
 * real SQL Server, successfully and with a wrong password.
 */
class SqlServerPasswordRedactionTest {
    private static final String PASSWORD = "Redact-Me-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> julRecords = new CopyOnWriteArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final Logger kawariLogger = (Logger) LoggerFactory.getLogger("dev.kawari");
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
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
    private Level previousLevel;

    @BeforeEach
    void capture() {
        logs.start();
        previousLevel = kawariLogger.getLevel();
        kawariLogger.setLevel(Level.DEBUG);
        kawariLogger.setAdditive(false);
        kawariLogger.addAppender(logs);
        julRoot.addHandler(julCapture);
    }

    @AfterEach
    void release() {
        kawariLogger.detachAppender(logs);
        kawariLogger.setAdditive(true);
        kawariLogger.setLevel(previousLevel);
        julRoot.removeHandler(julCapture);
    }

    private Path config(String body) throws Exception {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, body);
        return file;
    }

    private Engine engine(EventBus bus) {
        KitRegistry kits = KitRegistry.discover();
        return new Engine(kits, new ConfigLoader(kits), TimeSource.system(), Sleeper.system(), bus);
    }

    @Test
    void anEngineRunLeavesNoPasswordInEventsOrLogs() throws Exception {
        Path passwordFile = dir.resolve("sql.password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        StringBuilder monitors = new StringBuilder();
        Map<String, CheckResult> checked = new LinkedHashMap<>();
        try (SilentServer hung = new SilentServer()) {
            int refused = SilentServer.closedPort();
            monitors.append(monitor("hung", hung.port(), "password-file = \"" + passwordFile + "\""));
            monitors.append(monitor("refused", refused, "password-file = \"" + passwordFile + "\""));
            if (SqlServerDocker.available()) {
                Path wrongFile = dir.resolve("wrong.password");
                Files.writeString(wrongFile, "Wrong-" + PASSWORD);
                Path realFile = dir.resolve("real.password");
                Files.writeString(realFile, SqlServerDocker.container().getPassword());
                monitors.append(real("real", "password-file = \"" + realFile + "\""));
                monitors.append(real("wrong", "password-file = \"" + wrongFile + "\""));
            }
            Path file = config("""
                    kawari {
                      cluster = test
                      nodes { node-a {} }
                      event-log = "%s"
                      services.sql {
                        resources.mssql {
                          type = sqlserver, start = ["true"], stop = ["true"], ready-timeout = 1s
                          url = "jdbc:sqlserver://127.0.0.1:%d;encrypt=false", user = sa
                          password-file = "%s", login-timeout = 1s
                        }
                        monitors { %s }
                      }
                    }
                    """.formatted(dir.resolve("events.jsonl"), hung.port(), passwordFile, monitors));
            EventBus bus = new EventBus();
            bus.subscribe(events::add);
            bus.subscribe(new Slf4jEventLog());
            Engine engine = engine(bus);
            try (KawariConfig config = engine.configs().load(file); LocalNode node = engine.startNode(config, "node-a")) {
                node.verify();
                assertThat(node.restoreAll().get("sql").ok()).as("nothing answers, so restore fails").isFalse();
                checked.putAll(node.service("sql").orElseThrow().checkOnce(List.of()));
                node.removeAll();
            }
        }

        assertThat(events).anyMatch(event -> event.kind() == EventKind.FAILOVER_REQUESTED
                && event.message().contains("SQLSERVER_NOT_READY"));
        assertThat(checked).as("the monitors ran").containsKeys("mssql", "monitor:hung", "monitor:refused");
        assertThat(checked.get("monitor:hung").status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        checked.values().forEach(result -> answers.add(result.reason()));
        assertNoTraceOf(PASSWORD);
        if (SqlServerDocker.available()) {
            assertNoTraceOf(SqlServerDocker.container().getPassword());
        }
    }

    private static String monitor(String id, int port, String password) {
        return id + " { type = sqlserver, target = mssql, url = \"jdbc:sqlserver://127.0.0.1:" + port
                + ";encrypt=false\", user = sa, " + password + ", login-timeout = 1s, timeout = 2s }\n";
    }

    private static String real(String id, String password) {
        return id + " { type = sqlserver, target = mssql, url = \"" + SqlServerDocker.url() + "\", user = sa, "
                + password + ", level = 3, databases = [master], monitor-table = \"tempdb.dbo.kawari_redaction\","
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

    private void assertNoTraceOf(String password) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Event event : events) {
            texts.add(event.message());
            texts.addAll(event.details().values());
        }
        texts.addAll(Files.readAllLines(dir.resolve("events.jsonl")));
        logs.list.forEach(line -> texts.add(line.getFormattedMessage()));
        texts.addAll(julRecords);
        texts.addAll(answers);
        assertThat(events).isNotEmpty();
        assertThat(logs.list).isNotEmpty();
        assertThat(texts).as("events and logs").noneMatch(text -> text != null && text.contains(password));
    }
}
