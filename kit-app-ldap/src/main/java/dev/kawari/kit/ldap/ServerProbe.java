package dev.kawari.kit.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import dev.kawari.app.ReadinessWait;
import dev.kawari.app.ReadinessWait.Answer;
import dev.kawari.spi.OperationContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Asks whether an LDAP server answers: connects and reads the root DSE anonymously. Any LDAP result
 * from the server, even a refusal, proves that it answers; a refused connection, a lost one or no
 * answer within the time given proves that it does not. Sends no credentials, so an {@code ldaps}
 * server's certificate is not checked: the probe learns only whether something speaks LDAP there.
 */
final class ServerProbe implements ReadinessWait.Probe {

    private final LdapConnector connector;

    ServerProbe(LdapConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    LdapUrl url() {
        return connector.url();
    }

    /** Probes once, within the context's deadline. */
    @Override
    public Answer probe(OperationContext within) throws InterruptedException {
        return probe(within.deadline().remaining());
    }

    /**
     * Probes once, within {@code within}.
     *
     * @throws InterruptedException if the thread is interrupted meanwhile
     */
    Answer probe(Duration within) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before probing " + url());
        }
        ResultCode code;
        String diagnostic;
        try (LDAPConnection connection = connector.connect(within)) {
            SearchRequest rootDse = new SearchRequest("", SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
                    "1.1");
            rootDse.setResponseTimeoutMillis(LdapConnector.millis(within));
            code = connection.search(rootDse).getResultCode();
            diagnostic = "";
        } catch (LDAPException e) {
            code = e.getResultCode();
            diagnostic = LdapConnector.describe(e);
        } catch (LdapConnector.TlsSetupException e) {
            return Answer.silent(e.getMessage()); // the probe uses no StartTLS: TLS could not even be set up here
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while probing " + url());
        }
        if (ResultCode.isClientSideResultCode(code)) {
            return Answer.silent(url() + " does not answer: " + diagnostic);
        }
        return Answer.answers(url() + " answered the root DSE read with " + code);
    }
}
