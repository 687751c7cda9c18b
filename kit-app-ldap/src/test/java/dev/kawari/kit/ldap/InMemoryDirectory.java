package dev.kawari.kit.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.SelfSignedCertificateGenerator;
import com.unboundid.util.ObjectPair;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;

/**
 * UnboundID's in-memory LDAP server on loopback, with suffix {@link #SUFFIX}, a monitor account
 * {@link #MONITOR_DN} / {@link #MONITOR_PASSWORD}, and three listeners: plain LDAP (which accepts
 * StartTLS) and LDAPS, both with a fresh self-signed certificate whose PEM is {@link #caFile()}.
 */
final class InMemoryDirectory implements AutoCloseable {
    static final String SUFFIX = "dc=example,dc=com";
    static final String MONITOR_DN = "cn=monitor,dc=example,dc=com";
    static final String MONITOR_PASSWORD = "in-memory-Pa55word";

    private final InMemoryDirectoryServer server;
    private final Path caFile;

    /** Starts the server; {@code workDirectory} receives the certificate's PEM file. */
    InMemoryDirectory(Path workDirectory) throws Exception {
        ObjectPair<File, char[]> keyStore =
                SelfSignedCertificateGenerator.generateTemporarySelfSignedCertificate("kawari-test", "PKCS12");
        SSLUtil serverSsl = new SSLUtil(
                new KeyStoreKeyManager(keyStore.getFirst(), keyStore.getSecond(), "PKCS12", null),
                new TrustAllTrustManager());
        SSLUtil clientSsl = new SSLUtil(new TrustAllTrustManager());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(),
                        clientSsl.createSSLSocketFactory()));
        config.addAdditionalBindCredentials("cn=Directory Manager", "manager-secret");
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + SUFFIX, "objectClass: top", "objectClass: domain", "dc: example");
        server.add("dn: " + MONITOR_DN, "objectClass: person", "cn: monitor", "sn: monitor",
                "userPassword: " + MONITOR_PASSWORD);
        server.startListening();
        caFile = workDirectory.resolve("in-memory-ca.pem");
        Files.writeString(caFile, pem(keyStore), StandardCharsets.US_ASCII);
    }

    private static String pem(ObjectPair<File, char[]> keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore.getFirst().toPath())) {
            store.load(in, keyStore.getSecond());
        }
        Certificate certificate = store.getCertificate(store.aliases().nextElement());
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    int ldapPort() {
        return server.getListenPort("ldap");
    }

    int ldapsPort() {
        return server.getListenPort("ldaps");
    }

    String ldapUrl() {
        return "ldap://127.0.0.1:" + ldapPort();
    }

    String ldapsUrl() {
        return "ldaps://127.0.0.1:" + ldapsPort();
    }

    /** The self-signed certificate of both listeners, as PEM. */
    Path caFile() {
        return caFile;
    }

    InMemoryDirectoryServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
