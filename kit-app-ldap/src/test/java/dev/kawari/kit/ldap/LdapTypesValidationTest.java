package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import org.junit.jupiter.api.Test;

/** Every bad value of an ldap-server or ldap block is reported, at its key, with a message that says what to write. */
class LdapTypesValidationTest {

    private static TestKitContext resource(String block) {
        TestKitContext context = new TestKitContext();
        new LdapServerResourceType().create(KitConfigs.resource("ldap-server", block), context);
        return context;
    }

    private static TestKitContext monitor(String block) {
        TestKitContext context = new TestKitContext();
        new LdapMonitorType().create(KitConfigs.monitor("ldap", block), context);
        return context;
    }

    @Test
    void minimalResourceIsValidWithDefaults() {
        assertThat(resource("start = [systemctl, start, slapd], stop = [systemctl, stop, slapd]").problems()).isEmpty();
        assertThat(KitConfigs.resourceReference("ldap-server").getString("url")).isEqualTo("ldap://127.0.0.1:389");
        assertThat(KitConfigs.resourceReference("ldap-server").getDuration("ready-timeout")).hasSeconds(60);
    }

    @Test
    void everyResourceProblemIsReportedAtOnce() {
        TestKitContext context = resource("start = \"systemctl start slapd\", url = \"http://127.0.0.1\","
                + " ready-timeout = 60");

        assertThat(context.problemKeys()).containsExactly("start", "stop", "url", "ready-timeout");
        assertThat(context.problemsOn("start").get(0).message()).contains("argument vector", "without a shell");
        assertThat(context.problemsOn("url").get(0).message()).contains("ldap://");
        assertThat(context.problemsOn("ready-timeout").get(0).message()).contains("no unit");
    }

    @Test
    void minimalMonitorIsValid() {
        assertThat(monitor("url = \"ldap://127.0.0.1:389\"").problems()).isEmpty();
    }

    @Test
    void urlIsRequiredAndHasNoDn() {
        assertThat(monitor("").problemKeys()).containsExactly("url");
        assertThat(monitor("url = \"ldap://127.0.0.1:389/dc=example,dc=com\"").problemsOn("url").get(0).message())
                .contains("base-dns");
    }

    @Test
    void startTlsOverLdapsIsRejected() {
        assertThat(monitor("url = \"ldaps://127.0.0.1\", start-tls = true").problemKeys()).containsExactly("start-tls");
    }

    @Test
    void bindDnNeedsExactlyOnePasswordSource() {
        assertThat(monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\"").problemKeys()).containsExactly("bind-dn");
        assertThat(monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password-env = PW,"
                + " bind-password-file = \"/etc/pw\"").problemKeys()).containsExactly("bind-password-file");
        assertThat(monitor("url = \"ldap://h\", bind-password-env = PW").problemKeys())
                .containsExactly("bind-password-env");
        assertThat(monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password-file = \"relative/pw\"")
                .problemKeys()).containsExactly("bind-password-file");
        assertThat(monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password-env = \"NOT A NAME\"")
                .problemKeys()).containsExactly("bind-password-env");
    }

    @Test
    void theBindPasswordMayBeInSecretsManager() {
        String secret = "url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password-secret-id = \"ldap/monitor\"";

        assertThat(monitor(secret + ", bind-password-secret-json-key = password").problems()).isEmpty();
        assertThat(monitor(secret + ", bind-password-env = PW").problemKeys()).containsExactly("bind-password-secret-id");
        assertThat(monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password-env = PW,"
                + " bind-password-secret-json-key = password").problemKeys())
                .containsExactly("bind-password-secret-json-key");
        assertThat(new LdapMonitorType().iamActions(KitConfigs.monitor("ldap", secret).config()))
                .containsExactly("secretsmanager:GetSecretValue");
        assertThat(new LdapMonitorType().iamActions(KitConfigs.monitor("ldap", "url = \"ldap://h\"").config())).isEmpty();
    }

    @Test
    void invalidDnsAreReported() {
        TestKitContext context = monitor("url = \"ldap://h\", base-dns = [\"dc=ok\", \"no equals sign\"],"
                + " bind-dn = \"also bad\", bind-password-env = PW");

        assertThat(context.problemKeys()).containsExactly("base-dns", "bind-dn");
        assertThat(context.problemsOn("base-dns").get(0).message()).contains("no equals sign", "not a valid DN");
    }

    @Test
    void aWrittenPasswordIsRejectedAndDeclaredSecret() {
        TestKitContext context = monitor("url = \"ldap://h\", bind-dn = \"cn=m,dc=x\", bind-password = \"hunter2\"");

        assertThat(context.problemKeys()).contains("bind-password");
        assertThat(context.problems()).allSatisfy(problem -> assertThat(problem.message()).doesNotContain("hunter2"));
        assertThat(context.problemsOn("bind-password").get(0).message())
                .contains("never written", "bind-password-env", "bind-password-file", "bind-password-secret-id");
        assertThat(new LdapMonitorType().secretKeys()).containsExactly("bind-password");
    }

    @Test
    void caFileWithoutTlsIsReported() {
        assertThat(monitor("url = \"ldap://h\", ca-file = \"/etc/ssl/ca.pem\"").problemKeys()).containsExactly("ca-file");
        assertThat(monitor("url = \"ldap://h\", start-tls = true, ca-file = \"/etc/ssl/ca.pem\"").problems()).isEmpty();
    }

    @Test
    void theKitContributesBothTypes() {
        LdapKit kit = new LdapKit();

        assertThat(kit.resourceTypes()).extracting(type -> type.id()).containsExactly("ldap-server");
        assertThat(kit.monitorTypes()).extracting(type -> type.id()).containsExactly("ldap");
        assertThat(java.util.ServiceLoader.load(dev.kawari.spi.RecoveryKit.class).stream()
                .map(provider -> provider.type().getName())).contains(LdapKit.class.getName());
    }
}
