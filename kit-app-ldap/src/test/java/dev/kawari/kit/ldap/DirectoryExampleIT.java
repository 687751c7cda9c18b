package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.engine.Engine;
import dev.kawari.engine.LocalNode;
import dev.kawari.engine.config.ConfigLoader;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.event.Event;
import dev.kawari.engine.event.EventBus;
import dev.kawari.engine.event.EventKind;
import dev.kawari.engine.event.Slf4jEventLog;
import dev.kawari.engine.kit.KitRegistry;
import dev.kawari.engine.tree.State;
import dev.kawari.engine.tree.TreeOutcome;
import dev.kawari.spi.Sleeper;
import dev.kawari.spi.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * examples/directory-ldap.conf run end to end by the real engine against a real slapd. The example is
 * loaded as it is, with the commands, the address and the password file swapped for this test's slapd
 * (as HOCON overrides) and short monitor intervals; its suffix and monitor account are the example's.
 */
class DirectoryExampleIT {
    private static final Path EXAMPLE = Path.of("..", "examples", "directory-ldap.conf");
    private static final String SERVICE = "directory";

    @TempDir
    Path dir;

    private Slapd slapd;
    private final EventBus bus = new EventBus();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Event> arriving = new LinkedBlockingQueue<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger kawariLogger = (Logger) LoggerFactory.getLogger("dev.kawari");
    private Level previousLevel;
    private KawariConfig config;
    private LocalNode node;

    @BeforeEach
    void setUp() throws Exception {
        Config example = ConfigFactory.parseFile(EXAMPLE.toFile());
        Config monitor = example.getConfig("kawari.services.directory.monitors.ldap");
        slapd = new Slapd(dir.resolve("slapd"), monitor.getStringList("base-dns").get(0), monitor.getString("bind-dn"));
        bus.subscribe(events::add);
        bus.subscribe(arriving::add);
        bus.subscribe(new Slf4jEventLog()); // as the agent does
        logs.start();
        previousLevel = kawariLogger.getLevel();
        kawariLogger.setLevel(Level.DEBUG);
        kawariLogger.setAdditive(false); // captured here, not printed by the build
        kawariLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        try (Slapd stopLast = slapd) { // whatever fails above, no slapd is left running
            if (node != null) {
                try {
                    node.removeAll();
                } finally {
                    node.close();
                }
            }
            if (config != null) {
                config.close();
            }
        } finally {
            kawariLogger.detachAppender(logs);
            kawariLogger.setAdditive(true);
            kawariLogger.setLevel(previousLevel);
        }
    }

    private LocalNode start(String passwordInFile) throws IOException {
        Path passwordFile = dir.resolve("ldap-monitor.password");
        Files.writeString(passwordFile, passwordInFile + "\n");
        Config overrides = ConfigFactory.parseString("""
                kawari.event-log = "%s"
                kawari.services.directory.resources.slapd { start = %s, stop = %s, url = "%s", ready-timeout = 20s }
                kawari.services.directory.monitors.ldap {
                  url = "%s", bind-password-file = "%s"
                  interval = 100ms, timeout = 2s, failure-threshold = 2
                }
                """.formatted(dir.resolve("events.jsonl"), LdapServerResourceContractIT.vector(slapd.startCommand()),
                LdapServerResourceContractIT.vector(slapd.stopCommand()), slapd.url(), slapd.url(), passwordFile));
        KitRegistry kits = KitRegistry.discover();
        Engine engine = new Engine(kits, new ConfigLoader(kits), TimeSource.system(), Sleeper.system(), bus);
        config = engine.configs().load(EXAMPLE, overrides);
        node = engine.startNode(config, "ldap-a");
        node.verify();
        Map<String, TreeOutcome> restored = node.restoreAll();
        assertThat(restored.get(SERVICE).ok()).as("restore: %s", restored).isTrue();
        node.startMonitors();
        return node;
    }

    private Event await(String what, Predicate<Event> wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            Event next = arriving.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && wanted.test(next)) {
                return next;
            }
        }
        throw new AssertionError("no " + what + " event within 30 s; events: " + events);
    }

    private static Predicate<Event> kind(EventKind kind) {
        return event -> event.kind() == kind;
    }

    @Test
    void killedSlapdIsRestartedLocallyWithoutFailover() throws Exception {
        start(slapd.monitorPassword());
        await("healthy check", kind(EventKind.CHECK).and(e -> e.outcome().equals("healthy")));
        long before = slapd.process().orElseThrow().pid();

        long killed = slapd.kill9();

        Event failed = await("monitor failed", kind(EventKind.MONITOR_FAILED));
        assertThat(failed.subject()).isEqualTo("ldap");
        assertThat(failed.message()).contains("unreachable");
        Event recovered = await("recovery finished", kind(EventKind.RECOVERY).and(e -> !e.outcome().equals("started")));
        assertThat(recovered.outcome()).isEqualTo("ok");
        await("healthy check after recovery", kind(EventKind.CHECK).and(e -> e.outcome().equals("healthy")));
        assertThat(killed).isEqualTo(before);
        assertThat(slapd.process()).as("a new slapd runs").hasValueSatisfying(
                process -> assertThat(process.pid()).isNotEqualTo(killed));
        assertThat(node.service(SERVICE).orElseThrow().state()).isEqualTo(State.IN_SERVICE);
        assertThat(events).noneMatch(kind(EventKind.FAILOVER_REQUESTED));

        Map<String, TreeOutcome> removed = node.removeAll();

        assertThat(removed.get(SERVICE).ok()).isTrue();
        assertThat(slapd.process()).as("remove stopped slapd").isEmpty();
        assertNoTraceOf(slapd.monitorPassword());
    }

    @Test
    void wrongMonitorPasswordIsAConfigurationProblemAndNeverARecovery() throws Exception {
        String wrong = "wrong-" + slapd.monitorPassword();
        start(wrong);

        Event unknown = await("unknown check", kind(EventKind.CHECK).and(e -> e.outcome().equals("unknown")));
        assertThat(unknown.message()).contains("LDAP_INVALID_CREDENTIALS", "configuration problem",
                "never causes a failover");
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500); // 15 more checks at 100 ms
        while (System.nanoTime() < until) {
            Thread.sleep(50);
        }

        assertThat(events).noneMatch(kind(EventKind.MONITOR_FAILED).or(kind(EventKind.RECOVERY))
                .or(kind(EventKind.FAILOVER_REQUESTED)));
        assertThat(node.service(SERVICE).orElseThrow().state()).isEqualTo(State.IN_SERVICE);
        node.removeAll();
        assertNoTraceOf(wrong);
        assertNoTraceOf(slapd.monitorPassword());
    }

    /**
     * The password is in no event (message or detail), no line of the JSON event log and no log line.
     * Call after removeAll: closes the node, which writes the JSON-lines event log to its end.
     */
    private void assertNoTraceOf(String password) throws IOException {
        if (node != null) {
            node.close();
            node = null;
        }
        List<String> texts = new ArrayList<>();
        for (Event event : events) {
            texts.add(event.message());
            texts.addAll(event.details().values());
        }
        Path eventLog = dir.resolve("events.jsonl");
        assertThat(eventLog).exists();
        texts.addAll(Files.readAllLines(eventLog));
        for (ILoggingEvent line : logs.list) {
            texts.add(line.getFormattedMessage());
            if (line.getThrowableProxy() != null) {
                texts.add(line.getThrowableProxy().getMessage());
            }
        }
        assertThat(events).as("events were captured").isNotEmpty();
        assertThat(logs.list).as("log lines were captured").isNotEmpty();
        assertThat(texts).as("events and logs").noneMatch(text -> text != null && text.contains(password));
    }
}
