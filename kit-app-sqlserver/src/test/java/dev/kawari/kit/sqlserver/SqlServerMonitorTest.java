package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sqlserver monitor where no SQL Server runs: a closed loopback port (refused), a loopback server
 * that accepts and never answers (hung), and password sources. Against a real server: SqlServerContainerIT.
 */
class SqlServerMonitorTest {
    static final String PASSWORD = "Monitor-Pa55-" + System.nanoTime();

    @TempDir
    Path dir;

    private static Monitor monitor(String block) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new SqlServerMonitorType(Map.of("SQL_PASSWORD", PASSWORD)::get)
                .create(KitConfigs.monitor("sqlserver", block), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }

    private static String at(int port) {
        return "url = \"jdbc:sqlserver://127.0.0.1:" + port + ";encrypt=false\", user = kawari_monitor,"
                + " password-env = SQL_PASSWORD";
    }

    @Test
    void refusedConnectionIsUnhealthy() throws Exception {
        Monitor monitor = monitor(at(SilentServer.closedPort()) + ", login-timeout = 1s");

        CheckResult result = monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(10)).build());

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("127.0.0.1", "unreachable").doesNotContain(PASSWORD);
    }

    @Test
    void hungServerIsUnhealthyAfterTheTimeout() throws Exception {
        try (SilentServer hung = new SilentServer()) {
            Monitor monitor = monitor(at(hung.port()) + ", login-timeout = 30s");
            Duration timeout = Duration.ofMillis(1500);
            long start = System.nanoTime();

            CheckResult result = monitor.check(OperationContexts.builder().deadline(timeout).build());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
            assertThat(result.reason()).contains("no answer", "within 1500 ms", "logging in");
            assertThat(took).isGreaterThanOrEqualTo(timeout.minusMillis(50)).isLessThan(Duration.ofSeconds(5));
            assertThat(hung.connections()).isEqualTo(1);
            assertAbandonedThreadsEnd();
        }
    }

    /** The thread left talking to a hung server ends by itself (the driver's socket timeout), so none pile up. */
    static void assertAbandonedThreadsEnd() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (talkingThreads() > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(talkingThreads()).as("threads still talking to SQL Server").isZero();
    }

    private static long talkingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(SqlServerConnector.THREAD_PREFIX) && thread.isAlive())
                .count();
    }

    @Test
    void loginTimeoutShorterThanTheMonitorTimeoutEndsTheWaitEarlier() throws Exception {
        try (SilentServer hung = new SilentServer()) {
            Monitor monitor = monitor(at(hung.port()) + ", login-timeout = 1s");
            long start = System.nanoTime();

            CheckResult result = monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(20)).build());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950)).isLessThan(Duration.ofSeconds(5));
            assertThat(result.reason()).contains("within 1000 ms while logging in");
            assertAbandonedThreadsEnd();
        }
    }

    @Test
    void interruptEndsAHungCheckAtOnce() throws Exception {
        try (SilentServer hung = new SilentServer()) {
            Monitor monitor = monitor(at(hung.port()) + ", login-timeout = 30s");
            Thread checker = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                long until = System.nanoTime() + 5_000_000_000L;
                while (hung.connections() == 0 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                checker.interrupt();
            });
            interrupter.start();
            long start = System.nanoTime();

            InterruptedException thrown = catchThrowableOfType(InterruptedException.class,
                    () -> monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(30)).build()));

            assertThat(thrown).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            interrupter.join();
        } finally {
            Thread.interrupted();
        }
        assertAbandonedThreadsEnd(); // the hung server is gone: the abandoned login ends at once
    }

    @Test
    void unsetPasswordVariableIsAConfigurationProblem() {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new SqlServerMonitorType(name -> null).create(KitConfigs.monitor("sqlserver",
                at(1433)), context);

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> monitor.check(OperationContexts.standard()));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("SQL_PASSWORD", "not set");
    }

    @Test
    void passwordFileIsReadAtEachCheckAndVerifyReportsAMissingOne() throws Exception {
        Path file = dir.resolve("sql.password");
        Monitor monitor = monitor("url = \"jdbc:sqlserver://127.0.0.1:" + SilentServer.closedPort()
                + "\", user = sa, password-file = \"" + file + "\", login-timeout = 1s");
        TestKitContext problems = new TestKitContext();

        monitor.verify(OperationContexts.standard(), problems);
        KawariException missing = catchThrowableOfType(KawariException.class,
                () -> monitor.check(OperationContexts.standard()));
        Files.writeString(file, PASSWORD + "\n");
        CheckResult withFile = monitor.check(OperationContexts.standard());

        assertThat(problems.problemKeys()).containsExactly("password-file");
        assertThat(missing.code()).isEqualTo(SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE);
        assertThat(withFile.status()).as("the file is read again: now the login is tried and refused by the port")
                .isEqualTo(CheckResult.Status.UNHEALTHY);
    }
}
