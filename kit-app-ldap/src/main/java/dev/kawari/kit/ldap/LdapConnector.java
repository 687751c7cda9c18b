package dev.kawari.kit.ldap;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Opens connections to one LDAP server, every wait bounded by the time given: the TCP connect, the
 * TLS handshake (ldaps) and the StartTLS exchange. Never follows referrals, never reconnects.
 *
 * @param url where the server listens
 * @param startTls whether to send StartTLS on a plain connection before anything else
 * @param trust which certificates to accept for ldaps and StartTLS
 * @param verifyHostName whether the certificate must name {@code url}'s host
 */
record LdapConnector(LdapUrl url, boolean startTls, X509TrustManager trust, boolean verifyHostName) {

    /** Why a connection could not be opened because of TLS rather than the server being down. */
    static final class TlsSetupException extends Exception {
        private static final long serialVersionUID = 1L;

        TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    LdapConnector {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(trust, "trust");
        if (startTls && url.secure()) {
            throw new IllegalArgumentException("StartTLS on an ldaps:// connection");
        }
    }

    boolean usesTls() {
        return url.secure() || startTls;
    }

    /** Options whose timeouts are {@code within}, at least one millisecond. */
    LDAPConnectionOptions options(Duration within) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, millis(within)));
        options.setResponseTimeoutMillis(millis(within));
        options.setFollowReferrals(false);
        options.setAbandonOnTimeout(false);
        if (verifyHostName) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        return options;
    }

    /**
     * Connects, and sends StartTLS when configured, all within {@code within}.
     *
     * @throws LDAPException when the server cannot be reached or does not answer
     * @throws TlsSetupException when the TLS context cannot be made or StartTLS is refused
     */
    LDAPConnection connect(Duration within) throws LDAPException, TlsSetupException {
        SSLUtil ssl = new SSLUtil(trust);
        SocketFactory sockets;
        try {
            sockets = url.secure() ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot set up TLS for " + url + ": " + e.getMessage(), e);
        }
        LDAPConnection connection = new LDAPConnection(sockets, options(within), url.host(), url.port());
        if (!startTls) {
            return connection;
        }
        try {
            SSLContext context = ssl.createSSLContext();
            StartTLSExtendedRequest request = new StartTLSExtendedRequest(context);
            request.setResponseTimeoutMillis(millis(within));
            ExtendedResult result = connection.processExtendedOperation(request);
            if (result.getResultCode() != ResultCode.SUCCESS) {
                connection.close();
                throw new TlsSetupException("the server at " + url + " refused StartTLS: " + result.getResultCode()
                        + describe(result.getDiagnosticMessage()), null);
            }
            return connection;
        } catch (GeneralSecurityException e) {
            connection.close();
            throw new TlsSetupException("cannot set up TLS for " + url + ": " + e.getMessage(), e);
        } catch (LDAPException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * A short account of a failure for messages: the result code, then the server's diagnostic message
     * or the innermost cause ({@code 91 (connect error): ConnectException: Connection refused}).
     */
    static String describe(LDAPException e) {
        String diagnostic = e.getDiagnosticMessage();
        if (diagnostic != null && !diagnostic.isBlank()) {
            return e.getResultCode() + ": " + diagnostic;
        }
        Throwable innermost = null;
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (!(cause instanceof LDAPException)) {
                innermost = cause;
            }
        }
        if (innermost != null) {
            return e.getResultCode() + ": " + innermost.getClass().getSimpleName()
                    + (innermost.getMessage() == null ? "" : ": " + innermost.getMessage());
        }
        String message = e.getMessage();
        return e.getResultCode() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    static long millis(Duration within) {
        return Math.max(1, within.toMillis());
    }

    private static String describe(String diagnostic) {
        return diagnostic == null || diagnostic.isBlank() ? "" : " (" + diagnostic + ")";
    }
}
