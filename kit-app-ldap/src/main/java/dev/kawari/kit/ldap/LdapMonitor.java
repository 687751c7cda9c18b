package dev.kawari.kit.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import dev.kawari.app.Password;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The {@code ldap} check: connect (with TLS from the first byte for {@code ldaps}, or StartTLS), bind
 * when {@code bind-dn} is set, and read the entry of every suffix in {@code base-dns} with a
 * base-scope search; every wait is bounded by what is left of the check's deadline (the monitor's
 * {@code timeout}). See {@link LdapKit} for what each outcome answers: in short, a server that is
 * down, failing or silent is Unhealthy, and a refused bind or a TLS set-up failure is a configuration
 * problem (a CONFIGURATION exception, which the engine records as Unknown and never acts on).
 */
final class LdapMonitor implements Monitor {
    private final LdapMonitorConfig config;

    LdapMonitor(LdapMonitorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the LDAP check started");
        }
        Optional<Password> password;
        try {
            password = config.bind().map(bind -> bind.password().read(context));
        } catch (KawariException e) {
            if (e.type() == ErrorType.EXTERNAL && e.retryable()) {
                return CheckResult.unknown("could not read the bind password now, so " + config.connector().url()
                        + " was not asked: " + e.getMessage());
            }
            throw e;
        }
        LdapUrl url = config.connector().url();
        List<DN> bases = config.baseDns().isEmpty() ? List.of(DN.NULL_DN) : config.baseDns();
        String step = "connecting";
        try (LDAPConnection connection = config.connector().connect(left(context))) {
            if (config.bind().isPresent()) {
                step = "binding as " + config.bind().get().dn();
                SimpleBindRequest bind = new SimpleBindRequest(config.bind().get().dn(), password.orElseThrow().value());
                bind.setResponseTimeoutMillis(LdapConnector.millis(left(context)));
                connection.bind(bind);
            }
            for (DN base : bases) {
                step = base.isNullDN() ? "reading the root DSE" : "reading suffix " + base;
                SearchRequest search = new SearchRequest(base.toString(), SearchScope.BASE,
                        Filter.createPresenceFilter("objectClass"), "1.1");
                Duration within = left(context);
                search.setResponseTimeoutMillis(LdapConnector.millis(within));
                search.setTimeLimitSeconds((int) Math.max(1, within.toSeconds()));
                search.setSizeLimit(1);
                SearchResult result = connection.search(search);
                if (result.getEntryCount() == 0) {
                    return CheckResult.unhealthy(url + ": " + step + " returned no entry (is the suffix served and"
                            + " readable by " + who() + "?)");
                }
            }
            return CheckResult.healthy();
        } catch (LDAPException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while " + step + " at " + url);
            }
            return answer(step, e, context);
        } catch (LdapConnector.TlsSetupException e) {
            throw new KawariException(LdapKit.LDAP_TLS_FAILED, false, "configuration problem: " + e.getMessage()
                    + "; check start-tls, ca-file and the server's TLS set-up", e);
        }
    }

    /** What an LDAP failure means; throws for configuration problems. */
    private CheckResult answer(String step, LDAPException e, OperationContext context) {
        LdapUrl url = config.connector().url();
        ResultCode code = e.getResultCode();
        String seen = LdapConnector.describe(e);
        boolean binding = step.startsWith("binding");
        if (config.connector().usesTls() && causedByTls(e)) {
            throw new KawariException(LdapKit.LDAP_TLS_FAILED, false, "configuration problem: TLS with " + url
                    + " failed while " + step + ": " + seen + "; check ca-file (the CA that signed the server's"
                    + " certificate) and that the certificate names host '" + url.host() + "'", e);
        }
        if (binding && code == ResultCode.INVALID_CREDENTIALS) {
            config.bind().orElseThrow().password().forget(); // perhaps rotated: read it afresh next time
            throw new KawariException(LdapKit.LDAP_INVALID_CREDENTIALS, false, "configuration problem: " + url
                    + " rejected the credentials of bind-dn '" + config.bind().orElseThrow().dn() + "' (result 49,"
                    + " invalidCredentials); fix bind-dn or the password in "
                    + config.bind().orElseThrow().password().describe()
                    + ". The check answers Unknown until then: a configuration problem never causes a failover");
        }
        if (binding && (code == ResultCode.INAPPROPRIATE_AUTHENTICATION || code == ResultCode.CONFIDENTIALITY_REQUIRED
                || code == ResultCode.STRONG_AUTH_REQUIRED || code == ResultCode.UNWILLING_TO_PERFORM)) {
            throw new KawariException(LdapKit.LDAP_BIND_REFUSED, false, "configuration problem: " + url
                    + " refused the bind of '" + config.bind().orElseThrow().dn() + "': " + seen
                    + (code == ResultCode.CONFIDENTIALITY_REQUIRED || code == ResultCode.STRONG_AUTH_REQUIRED
                            ? "; the server wants TLS: use ldaps:// or start-tls = true" : "")
                    + ". The check answers Unknown until then: a configuration problem never causes a failover");
        }
        if (code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
            throw new KawariException(LdapKit.LDAP_ACCESS_DENIED, false, "configuration problem: " + who()
                    + " may not " + step.replace("reading", "read") + " at " + url + ": " + seen
                    + "; grant read access to the suffix entry or bind as another DN");
        }
        if (code == ResultCode.TIMEOUT || context.deadline().expired()) {
            return CheckResult.unhealthy("no answer from " + url + " within " + context.deadline().budget().toMillis()
                    + " ms while " + step);
        }
        if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN) {
            return CheckResult.unhealthy(url + " is unreachable while " + step + ": " + seen);
        }
        if (ResultCode.isClientSideResultCode(code)) {
            return CheckResult.unknown("the LDAP client failed while " + step + " at " + url + ": " + seen);
        }
        return CheckResult.unhealthy(url + " failed while " + step + ": " + seen);
    }

    private String who() {
        return config.bind().map(bind -> "bind-dn '" + bind.dn() + "'").orElse("an anonymous client");
    }

    private static Duration left(OperationContext context) {
        return context.deadline().remaining();
    }

    private static boolean causedByTls(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Checks that the bind password can be read on this node; reads nothing from the server. */
    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        config.bind().ifPresent(bind -> bind.password().verify(bind.passwordKey(), context, problems));
    }

    @Override
    public void close() {
        config.bind().ifPresent(bind -> bind.password().close());
    }

    @Override
    public String toString() {
        return "LdapMonitor[" + config.connector().url() + ", base-dns=" + config.baseDns() + "]";
    }
}
