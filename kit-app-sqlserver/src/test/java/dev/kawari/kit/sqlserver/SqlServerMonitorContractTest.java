package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.MonitorContractTest;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The monitor TCK. Unhealthy (a refused port) and hanging (a loopback server that never answers) run
 * everywhere; healthy needs a real SQL Server and is skipped, saying so, where Docker is absent.
 */
class SqlServerMonitorContractTest extends MonitorContractTest {
    private SilentServer hung;

    @AfterEach
    void stopHungServer() throws IOException {
        if (hung != null) {
            hung.close();
        }
    }

    @Override
    protected Monitor newHealthyMonitor() {
        return create("url = \"" + SqlServerDocker.url() + "\", user = sa, password-env = SQL_PASSWORD, level = 3,"
                + " databases = [master, tempdb], monitor-table = \"tempdb.dbo.kawari_monitor\"",
                SqlServerDocker.container().getPassword());
    }

    @Override
    protected Monitor newUnhealthyMonitor() {
        try {
            return create("url = \"jdbc:sqlserver://127.0.0.1:" + SilentServer.closedPort() + "\", user = sa,"
                    + " password-env = SQL_PASSWORD, login-timeout = 1s", "unused");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Monitor newHangingMonitor() {
        try {
            hung = new SilentServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return create("url = \"jdbc:sqlserver://127.0.0.1:" + hung.port() + "\", user = sa,"
                + " password-env = SQL_PASSWORD, login-timeout = 60s", "unused");
    }

    private static Monitor create(String block, String password) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new SqlServerMonitorType(Map.of("SQL_PASSWORD", password)::get)
                .create(KitConfigs.monitor("sqlserver", block), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }
}
