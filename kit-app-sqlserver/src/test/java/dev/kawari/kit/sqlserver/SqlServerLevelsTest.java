package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kawari.app.FilePassword;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The logic of the levels without a server: level 2's verdict on sys.databases, level 3's statements,
 * and what each SQL Server error means. Against a real server: SqlServerContainerIT.
 */
class SqlServerLevelsTest {
    private static final String PASSWORD = "Level-Pa55";
    private static final SqlServerLogin LOGIN = new SqlServerLogin(new SqlServerUrl("jdbc:sqlserver://db1:1433"),
            Optional.of("kawari"), Optional.of(new FilePassword(Path.of("/etc/kawari/sql.password"),
            SqlServerKit.SQLSERVER_PASSWORD_UNAVAILABLE)), "password-file",
            Duration.ofSeconds(5));

    @Test
    void everyConfiguredDatabaseOnlineIsHealthy() {
        CheckResult result = DatabaseStates.verdict(List.of("sales", "HR"),
                Map.of("sales", "ONLINE", "hr", "ONLINE"), "db1");

        assertThat(result).isEqualTo(CheckResult.healthy());
    }

    @Test
    void aDatabaseNotOnlineOrMissingIsUnhealthy() {
        CheckResult result = DatabaseStates.verdict(List.of("sales", "hr", "audit"),
                Map.of("sales", "ONLINE", "hr", "RECOVERY_PENDING"), "db1");

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(result.reason()).contains("hr is RECOVERY_PENDING", "audit is missing").doesNotContain("sales");
    }

    @Test
    void databaseQueryHasOneParameterPerDatabase() {
        assertThat(DatabaseStates.query(3)).isEqualTo("SELECT name, state_desc FROM sys.databases WHERE name IN (?, ?, ?)");
    }

    @Test
    void monitorTableStatementsUseTheBracketedName() {
        MonitorTable table = new MonitorTable("ops.dbo.kawari_monitor");

        assertThat(table.quoted()).isEqualTo("[ops].[dbo].[kawari_monitor]");
        assertThat(table.createIfMissing()).startsWith("IF OBJECT_ID(N'ops.dbo.kawari_monitor', N'U') IS NULL CREATE TABLE"
                + " [ops].[dbo].[kawari_monitor]");
        assertThat(table.upsert()).contains("UPDATE [ops].[dbo].[kawari_monitor] SET token = ?",
                "IF @@ROWCOUNT = 0 INSERT INTO [ops].[dbo].[kawari_monitor]");
        assertThat(MonitorTable.problem("kawari_monitor")).isNull();
        assertThat(MonitorTable.problem("x'); DROP TABLE t --")).isNotNull();
        assertThat(MonitorTable.problem("9lives")).isNotNull();
    }

    @Test
    void loginFailedIsAConfigurationProblemThatNamesTheSourceNotThePassword() {
        SQLException loginFailed = new SQLException("Login failed for user 'kawari'.", "S0001", 18456);

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> SqlServerFailure.answer(loginFailed, "logging in", LOGIN));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_LOGIN_FAILED);
        assertThat(thrown.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(thrown.getMessage()).contains("configuration problem", "error 18456", "user 'kawari'",
                "file /etc/kawari/sql.password", "never causes a failover").doesNotContain(PASSWORD);
    }

    @Test
    void disabledLoginAndMissingPermissionAreConfigurationProblems() {
        assertThat(catchThrowableOfType(KawariException.class, () -> SqlServerFailure.answer(
                new SQLException("Login failed. The login is disabled.", "S0001", 18470), "logging in", LOGIN)).code())
                .isEqualTo(SqlServerKit.SQLSERVER_LOGIN_FAILED);
        assertThat(catchThrowableOfType(KawariException.class, () -> SqlServerFailure.answer(
                new SQLException("CREATE TABLE permission denied in database 'sales'.", "S0001", 262),
                "writing to dbo.kawari_monitor", LOGIN)).code())
                .isEqualTo(SqlServerKit.SQLSERVER_PERMISSION_DENIED);
    }

    @Test
    void untrustedCertificateIsAConfigurationProblem() {
        SQLException tls = new SQLException("The driver could not establish a secure connection", "08S01", 0,
                new SSLHandshakeException("PKIX path building failed"));

        KawariException thrown = catchThrowableOfType(KawariException.class,
                () -> SqlServerFailure.answer(tls, "logging in", LOGIN));

        assertThat(thrown.code()).isEqualTo(SqlServerKit.SQLSERVER_TLS_FAILED);
    }

    @Test
    void timeoutsAndLostConnectionsAreUnhealthy() {
        assertThat(SqlServerFailure.answer(new SQLTimeoutException("The query has timed out."), "reading sys.databases",
                LOGIN).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        CheckResult lost = SqlServerFailure.answer(new SQLException("Connection reset", "08S01", 0), "running SELECT 1",
                LOGIN);
        assertThat(lost.status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(lost.reason()).contains("db1:1433", "unreachable", "running SELECT 1");
        assertThat(SqlServerFailure.answer(new SQLException("Cannot open database \"sales\"", "S0001", 4060),
                "logging in", LOGIN).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        assertThat(SqlServerFailure.answer(new SQLException("The transaction log for database 'sales' is full",
                "S0001", 9002), "writing to dbo.kawari_monitor", LOGIN).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
    }

    @Test
    void deadlockVictimIsUnknown() throws IOException {
        CheckResult result = SqlServerFailure.answer(new SQLException("deadlock victim", "40001", 1205),
                "writing to dbo.kawari_monitor", LOGIN);

        assertThat(result.status()).isEqualTo(CheckResult.Status.UNKNOWN);
    }
}
