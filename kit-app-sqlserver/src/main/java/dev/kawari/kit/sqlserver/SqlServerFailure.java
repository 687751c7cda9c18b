package dev.kawari.kit.sqlserver;

import dev.kawari.app.PasswordSource;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * What a {@link SQLException} from a login or a check's query means: Unhealthy, Unknown, or a
 * configuration problem, thrown as a CONFIGURATION {@link KawariException} (which the engine records as
 * Unknown and never acts on). Messages name the server, the login and the password's source, never
 * the password.
 */
final class SqlServerFailure {
    /** Login refusals: failed, untrusted domain, disabled, password expired, password must change. */
    static final Set<Integer> LOGIN_REFUSED = Set.of(18456, 18452, 18470, 18487, 18488);
    /** Permission denied on an object, CREATE TABLE denied, VIEW SERVER STATE denied. */
    static final Set<Integer> PERMISSION_DENIED = Set.of(229, 262, 300);
    /** Chosen as a deadlock victim: another session's business, says nothing of the server's health. */
    static final int DEADLOCK_VICTIM = 1205;
    /** Cannot open the database the login asked for (missing, offline or recovering). */
    static final int CANNOT_OPEN_DATABASE = 4060;

    private SqlServerFailure() {
    }

    /**
     * The answer for {@code e}, raised while {@code step}.
     *
     * @throws KawariException for a configuration problem
     */
    static CheckResult answer(SQLException e, String step, SqlServerLogin login) {
        String server = login.url().server();
        String seen = describe(e);
        int error = errorNumber(e);
        if (LOGIN_REFUSED.contains(error)) {
            login.password().ifPresent(PasswordSource::forget); // perhaps rotated: read it afresh next time
            throw new KawariException(SqlServerKit.SQLSERVER_LOGIN_FAILED, false, "configuration problem: " + server
                    + " refused the login of " + login.who() + " (error " + error + "): " + seen + "; fix 'user' or"
                    + " the password in " + login.password().map(PasswordSource::describe).orElse("the URL")
                    + ". The check answers Unknown until then: a configuration problem never causes a failover", e);
        }
        if (PERMISSION_DENIED.contains(error)) {
            throw new KawariException(SqlServerKit.SQLSERVER_PERMISSION_DENIED, false, "configuration problem: "
                    + login.who() + " may not do this on " + server + " while " + step + " (error " + error + "): "
                    + seen + "; grant the permission or lower 'level'", e);
        }
        if (causedByTls(e)) {
            throw new KawariException(SqlServerKit.SQLSERVER_TLS_FAILED, false, "configuration problem: the encrypted"
                    + " connection to " + server + " could not be set up: " + seen + "; trust the server's certificate"
                    + " (trustStore=… in the URL) or, on a trusted network, trustServerCertificate=true", e);
        }
        if (e instanceof SQLTimeoutException || seen.toLowerCase(Locale.ROOT).contains("timed out")) {
            return CheckResult.unhealthy("no answer from " + server + " in time while " + step + ": " + seen);
        }
        if (error == DEADLOCK_VICTIM) {
            return CheckResult.unknown("chosen as deadlock victim while " + step + " on " + server + "; trying again"
                    + " at the next check");
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return CheckResult.unhealthy(server + " is unreachable while " + step + ": " + seen);
        }
        if (error == CANNOT_OPEN_DATABASE) {
            return CheckResult.unhealthy(server + " cannot open the URL's database while " + step + ": " + seen);
        }
        return CheckResult.unhealthy(server + " failed while " + step + ": " + seen);
    }

    /** The SQL Server error number of {@code e} or of the first chained exception that has one. */
    static int errorNumber(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            if (next.getErrorCode() != 0) {
                return next.getErrorCode();
            }
        }
        return 0;
    }

    private static boolean causedByTls(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return true;
            }
            String message = cause.getMessage();
            if (message != null && message.contains("PKIX path")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int error = e.getErrorCode();
        return (error != 0 ? "error " + error + ", " : "") + (e.getSQLState() != null ? "state " + e.getSQLState()
                + ": " : "") + message;
    }
}
