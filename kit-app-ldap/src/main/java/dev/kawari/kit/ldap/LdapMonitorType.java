package dev.kawari.kit.ldap;

import com.typesafe.config.Config;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import dev.kawari.app.PasswordSources;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.MonitorType;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.net.ssl.X509TrustManager;

/**
 * Monitor type {@code ldap}. Keys:
 *
 * <ul>
 *   <li>{@code url} (required): {@code ldap://host:port} or {@code ldaps://host:port};
 *   <li>{@code start-tls} (default false): send StartTLS on an {@code ldap://} connection first;
 *   <li>{@code base-dns} (default none): suffixes whose entries each check reads with a base-scope
 *       search; none means the root DSE is read;
 *   <li>{@code bind-dn} (optional) with exactly one of {@code bind-password-env} (an environment
 *       variable's name), {@code bind-password-file} (an absolute path) or {@code
 *       bind-password-secret-id} (an AWS Secrets Manager secret, with {@code bind-password-secret-json-key}
 *       for a JSON secret): a simple bind before reading (see {@link PasswordSources});
 *   <li>{@code ca-file} (optional): a PEM file of the certificates to trust for TLS, instead of the
 *       JVM's default trust store. The server's certificate must name the URL's host.
 * </ul>
 *
 * <p>A password is never written in the configuration: {@code bind-password} is declared (and
 * secret, so its value is redacted) only to reject it with a clear message.
 */
public final class LdapMonitorType implements MonitorType {
    private final PasswordSources passwords;

    /** The type as the kit contributes it: passwords from the agent's real environment. */
    public LdapMonitorType() {
        this(System::getenv);
    }

    /** A type reading environment variables through {@code environment} (tests). */
    LdapMonitorType(UnaryOperator<String> environment) {
        this.passwords = new PasswordSources("bind-password", LdapKit.LDAP_PASSWORD_UNAVAILABLE,
                Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public String id() {
        return "ldap";
    }

    @Override
    public String description() {
        return "connects (ldap, ldaps, StartTLS), binds if configured and reads each suffix; bad credentials are a"
                + " configuration problem, never a failover";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(passwords.writtenKey());
    }

    /** {@code secretsmanager:GetSecretValue} when the bind password is in Secrets Manager. */
    @Override
    public Set<String> iamActions(Config config) {
        return passwords.iamActions(config);
    }

    /** Validates the block and builds the monitor; touches nothing. Returns null after reporting problems. */
    @Override
    public Monitor create(MonitorDefinition definition, KitContext context) {
        LdapBlock block = new LdapBlock(definition.config(), context);
        Optional<LdapUrl> url = block.url("url");
        Optional<Boolean> startTls = block.bool("start-tls");
        Optional<List<DN>> baseDns = block.dnList("base-dns");
        Optional<DN> bindDn = block.dn("bind-dn");
        Optional<Path> caFile = block.absolutePath("ca-file");
        Optional<PasswordSources.Setting> password = passwords.read(definition.config(), "bind-dn", context,
                block::problem);

        if (url.isPresent() && startTls.orElse(false) && url.get().secure()) {
            block.problem("start-tls", "'start-tls' = true with an ldaps:// url: ldaps is TLS from the first byte;"
                    + " use ldap:// with start-tls, or ldaps:// without it");
        }
        if (caFile.isPresent() && url.isPresent() && !url.get().secure() && !startTls.orElse(false)) {
            block.problem("ca-file", "'ca-file' is set but the connection uses no TLS: use ldaps:// or start-tls = true");
        }
        if (block.reportedProblems()) {
            password.ifPresent(unused -> unused.source().close());
            return null;
        }

        X509TrustManager trust = caFile.isPresent() ? new CaFileTrust(caFile.get()) : JVMDefaultTrustManager.getInstance();
        LdapConnector connector = new LdapConnector(url.orElseThrow(), startTls.orElseThrow(), trust, true);
        Optional<LdapMonitorConfig.Bind> bind = bindDn.map(dn -> new LdapMonitorConfig.Bind(dn,
                password.orElseThrow().source(), password.orElseThrow().key()));
        return new LdapMonitor(new LdapMonitorConfig(connector, baseDns.orElseThrow(), bind));
    }

    /** Trusts the certificates of a PEM file, read when a connection is made, so create touches nothing. */
    private static final class CaFileTrust implements X509TrustManager {
        private final Path file;

        CaFileTrust(Path file) {
            this.file = file;
        }

        private X509TrustManager delegate() throws CertificateException {
            try {
                return new PEMFileTrustManager(file.toFile());
            } catch (KeyStoreException e) {
                throw new CertificateException("cannot read ca-file " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            delegate().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
            delegate().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
