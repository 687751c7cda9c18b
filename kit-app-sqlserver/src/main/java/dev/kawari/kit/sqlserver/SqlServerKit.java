package dev.kawari.kit.sqlserver;

import dev.kawari.app.CommandErrorCodes;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The SQL Server kit: the {@code sqlserver} resource type, which starts and stops SQL Server by
 * commands ({@code systemctl start mssql-server}, or a Windows service command) and waits until it
 * accepts a login, and the {@code sqlserver} monitor type, which checks it at one of three levels
 * (CLUSTERPRO's): 1 = log in and {@code SELECT 1}; 2 = also every configured database is {@code
 * ONLINE} in {@code sys.databases}; 3 = also write and read back a row in a monitor table, created when
 * missing. Both use Microsoft's JDBC driver.
 *
 * <h2>What a monitor check answers</h2>
 * <table>
 *   <caption>Outcomes of a {@code sqlserver} check</caption>
 *   <tr><th>what happened</th><th>answer</th></tr>
 *   <tr><td>every step of the level succeeded</td><td>Healthy</td></tr>
 *   <tr><td>connection refused or lost, a database not ONLINE or missing, the row not written back, a query
 *       failing on the server</td><td>Unhealthy</td></tr>
 *   <tr><td>no answer within the monitor's timeout (or {@code login-timeout}, {@code query-timeout})</td>
 *       <td>Unhealthy, after the timeout</td></tr>
 *   <tr><td>chosen as a deadlock victim on the monitor table</td><td>Unknown</td></tr>
 *   <tr><td>the password's secret store (Secrets Manager) is throttled, failing or slow</td><td>Unknown</td></tr>
 *   <tr><td>the login was refused (error 18456 and the like), TLS could not be set up, a permission is
 *       missing, the password cannot be read</td><td>a {@code KawariException} of type CONFIGURATION, which
 *       the engine records as Unknown: a configuration problem never causes a recovery or a failover</td></tr>
 * </table>
 *
 * <p>Passwords are read from an environment variable, a file or an AWS Secrets Manager secret (see
 * {@link dev.kawari.app.PasswordSources}) and are never written in the configuration, in a message or
 * in an event. The password goes to the driver as a connection property, never inside the URL.
 */
public final class SqlServerKit implements RecoveryKit {
    /** A start or stop command exited with a code other than 0. */
    public static final ErrorCode SQLSERVER_COMMAND_FAILED =
            new ErrorCode("SQLSERVER_COMMAND_FAILED", ErrorType.EXTERNAL);
    /** A start or stop command could not be run: its program is missing or not executable. */
    public static final ErrorCode SQLSERVER_COMMAND_NOT_FOUND =
            new ErrorCode("SQLSERVER_COMMAND_NOT_FOUND", ErrorType.CONFIGURATION);
    /** No temporary file for a command's output could be made. */
    public static final ErrorCode SQLSERVER_COMMAND_OUTPUT_UNAVAILABLE =
            new ErrorCode("SQLSERVER_COMMAND_OUTPUT_UNAVAILABLE", ErrorType.EXTERNAL);
    /** After the start command, SQL Server did not accept a login within {@code ready-timeout}. */
    public static final ErrorCode SQLSERVER_NOT_READY = new ErrorCode("SQLSERVER_NOT_READY", ErrorType.TIMEOUT);
    /** After the stop command, SQL Server still accepted logins when {@code ready-timeout} had passed. */
    public static final ErrorCode SQLSERVER_STILL_ANSWERS =
            new ErrorCode("SQLSERVER_STILL_ANSWERS", ErrorType.TIMEOUT);
    /** SQL Server refused the login: error 18456 (login failed), or a disabled or expired login. */
    public static final ErrorCode SQLSERVER_LOGIN_FAILED =
            new ErrorCode("SQLSERVER_LOGIN_FAILED", ErrorType.CONFIGURATION);
    /** The login may not do what the level needs (read sys.databases, create or write the monitor table). */
    public static final ErrorCode SQLSERVER_PERMISSION_DENIED =
            new ErrorCode("SQLSERVER_PERMISSION_DENIED", ErrorType.CONFIGURATION);
    /** The encrypted connection could not be set up: the server's certificate is not trusted. */
    public static final ErrorCode SQLSERVER_TLS_FAILED = new ErrorCode("SQLSERVER_TLS_FAILED", ErrorType.CONFIGURATION);
    /**
     * The password could not be read from its environment variable, file or Secrets Manager secret
     * (missing, empty, not allowed, no such JSON field). A secret store that cannot answer now (throttled,
     * failing) is not this: the check answers Unknown.
     */
    public static final ErrorCode SQLSERVER_PASSWORD_UNAVAILABLE =
            new ErrorCode("SQLSERVER_PASSWORD_UNAVAILABLE", ErrorType.CONFIGURATION);
    /** The codes the start and stop commands fail with. */
    static final CommandErrorCodes COMMAND_ERRORS = new CommandErrorCodes(SQLSERVER_COMMAND_FAILED,
            SQLSERVER_COMMAND_NOT_FOUND, SQLSERVER_COMMAND_OUTPUT_UNAVAILABLE);

    private final UnaryOperator<String> environment;

    /** The kit as {@link java.util.ServiceLoader} builds it: passwords from the agent's real environment. */
    public SqlServerKit() {
        this(System::getenv);
    }

    /** A kit whose types read environment variables through {@code environment} (tests). */
    SqlServerKit(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "sqlserver";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(new SqlServerResourceType(environment));
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(new SqlServerMonitorType(environment));
    }
}
