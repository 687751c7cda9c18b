package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The three levels and a refused login against a real SQL Server; skipped, saying Docker is absent, without one. */
@Testcontainers(disabledWithoutDocker = true)
class SqlServerContainerIT {

    private static Monitor monitor(String block, String password) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new SqlServerMonitorType(Map.of("SQL_PASSWORD", password)::get).create(
                KitConfigs.monitor("sqlserver", "url = \"" + SqlServerDocker.url() + "\", user = sa,"
                        + " password-env = SQL_PASSWORD, " + block), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }

    private static CheckResult check(Monitor monitor) throws InterruptedException {
        return monitor.check(OperationContexts.builder().deadline(Duration.ofSeconds(20)).build());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SqlServerDocker.url(), "sa",
                SqlServerDocker.container().getPassword()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void everyLevelIsHealthyAndLevelThreeCreatesItsTable() throws Exception {
        String password = SqlServerDocker.container().getPassword();

        assertThat(check(monitor("level = 1", password))).isEqualTo(CheckResult.healthy());
        assertThat(check(monitor("level = 2, databases = [master, msdb]", password))).isEqualTo(CheckResult.healthy());
        assertThat(check(monitor("level = 3, databases = [master], monitor-table = \"tempdb.dbo.kawari_it\"",
                password))).isEqualTo(CheckResult.healthy());
        assertThat(check(monitor("level = 3, databases = [master], monitor-table = \"tempdb.dbo.kawari_it\"",
                password))).as("the second write updates the row").isEqualTo(CheckResult.healthy());
    }

    @Test
    void offlineDatabaseIsUnhealthyAtLevelTwo() throws Exception {
        execute("IF DB_ID('kawari_offline') IS NULL CREATE DATABASE kawari_offline");
        execute("ALTER DATABASE kawari_offline SET OFFLINE WITH ROLLBACK IMMEDIATE");
        try {
            CheckResult result = check(monitor("level = 2, databases = [master, kawari_offline]",
                    SqlServerDocker.container().getPassword()));

            assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
            assertThat(result.reason()).contains("kawari_offline is OFFLINE");
        } finally {
            execute("ALTER DATABASE kawari_offline SET ONLINE");
        }
    }

    @Test
    void refusedLoginIsAConfigurationProblem() {
        String wrong = "Wrong-" + SqlServerDocker.container().getPassword();
        Monitor monitor = monitor("level = 1", wrong);

        KawariException thrown = catchThrowableOfType(KawariException.class, () -> check(monitor));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_LOGIN_FAILED);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("18456", "configuration problem").doesNotContain(wrong);
    }
}
