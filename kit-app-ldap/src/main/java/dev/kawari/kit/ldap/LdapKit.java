package dev.kawari.kit.ldap;

import dev.kawari.app.CommandErrorCodes;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The LDAP kit: the {@code ldap-server} resource type, which starts and stops a directory server
 * (OpenLDAP {@code slapd}, or any LDAP server) by commands and waits until it answers or stops
 * answering, and the {@code ldap} monitor type, which connects (ldap, ldaps or StartTLS), binds when
 * configured and reads the entry of each configured suffix.
 *
 * <h2>What a monitor check answers</h2>
 * <table>
 *   <caption>Outcomes of an {@code ldap} check</caption>
 *   <tr><th>what happened</th><th>answer</th></tr>
 *   <tr><td>connected, bound, every suffix entry read</td><td>Healthy</td></tr>
 *   <tr><td>connection refused or lost, a suffix missing, the server busy or failing</td><td>Unhealthy</td></tr>
 *   <tr><td>no answer within the monitor's timeout</td><td>Unhealthy, after the timeout</td></tr>
 *   <tr><td>the bind password's secret store (Secrets Manager) is throttled, failing or slow</td><td>Unknown</td></tr>
 *   <tr><td>the bind was refused (invalid credentials, result 49, and the like), TLS could not be set up,
 *       the password cannot be read</td><td>a {@code KawariException} of type CONFIGURATION, which the engine
 *       records as Unknown: a configuration problem never causes a recovery or a failover</td></tr>
 * </table>
 */
public final class LdapKit implements RecoveryKit {
    /** A start or stop command exited with a code other than 0. */
    public static final ErrorCode LDAP_SERVER_COMMAND_FAILED =
            new ErrorCode("LDAP_SERVER_COMMAND_FAILED", ErrorType.EXTERNAL);
    /** A start or stop command could not be run: its program is missing or not executable. */
    public static final ErrorCode LDAP_SERVER_COMMAND_NOT_FOUND =
            new ErrorCode("LDAP_SERVER_COMMAND_NOT_FOUND", ErrorType.CONFIGURATION);
    /** No temporary file for a command's output could be made. */
    public static final ErrorCode LDAP_SERVER_COMMAND_OUTPUT_UNAVAILABLE =
            new ErrorCode("LDAP_SERVER_COMMAND_OUTPUT_UNAVAILABLE", ErrorType.EXTERNAL);
    /** After the start command, the server did not answer within {@code ready-timeout}. */
    public static final ErrorCode LDAP_SERVER_NOT_READY = new ErrorCode("LDAP_SERVER_NOT_READY", ErrorType.TIMEOUT);
    /** After the stop command, the server still answered when {@code ready-timeout} had passed. */
    public static final ErrorCode LDAP_SERVER_STILL_ANSWERS =
            new ErrorCode("LDAP_SERVER_STILL_ANSWERS", ErrorType.TIMEOUT);
    /** The server rejected the monitor's bind DN and password (result 49, invalidCredentials). */
    public static final ErrorCode LDAP_INVALID_CREDENTIALS =
            new ErrorCode("LDAP_INVALID_CREDENTIALS", ErrorType.CONFIGURATION);
    /** The server refused the monitor's bind for another reason (TLS required, method not allowed). */
    public static final ErrorCode LDAP_BIND_REFUSED = new ErrorCode("LDAP_BIND_REFUSED", ErrorType.CONFIGURATION);
    /** The bind DN may not read a configured suffix entry (result 50, insufficientAccessRights). */
    public static final ErrorCode LDAP_ACCESS_DENIED = new ErrorCode("LDAP_ACCESS_DENIED", ErrorType.CONFIGURATION);
    /** TLS (ldaps or StartTLS) could not be set up: an untrusted certificate, a wrong host name, no StartTLS. */
    public static final ErrorCode LDAP_TLS_FAILED = new ErrorCode("LDAP_TLS_FAILED", ErrorType.CONFIGURATION);
    /**
     * The bind password could not be read from its environment variable, file or Secrets Manager secret
     * (missing, empty, not allowed, no such JSON field). A secret store that cannot answer now (throttled,
     * failing) is not this: the check answers Unknown.
     */
    public static final ErrorCode LDAP_PASSWORD_UNAVAILABLE =
            new ErrorCode("LDAP_PASSWORD_UNAVAILABLE", ErrorType.CONFIGURATION);
    /** The codes the start and stop commands fail with. */
    static final CommandErrorCodes COMMAND_ERRORS = new CommandErrorCodes(LDAP_SERVER_COMMAND_FAILED,
            LDAP_SERVER_COMMAND_NOT_FOUND, LDAP_SERVER_COMMAND_OUTPUT_UNAVAILABLE);

    private final UnaryOperator<String> environment;

    /** The kit as {@link java.util.ServiceLoader} builds it: passwords from the agent's real environment. */
    public LdapKit() {
        this(System::getenv);
    }

    /** A kit whose monitors read environment variables through {@code environment} (tests). */
    LdapKit(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "ldap";
    }

    @Override
    public List<ResourceType> resourceTypes() {
        return List.of(new LdapServerResourceType());
    }

    @Override
    public List<MonitorType> monitorTypes() {
        return List.of(new LdapMonitorType(environment));
    }
}
