package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.TestKitContext;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Every bad value of a sqlserver block is reported at its key, and no message repeats a password. */
class SqlServerTypesValidationTest {
    private static final String LOGIN = "url = \"jdbc:sqlserver://127.0.0.1:1433;databaseName=sales\", user = kawari,"
            + " password-env = SQL_PASSWORD";

    private static TestKitContext monitor(String block) {
        TestKitContext context = new TestKitContext();
        new SqlServerMonitorType().create(KitConfigs.monitor("sqlserver", block), context);
        return context;
    }

    private static TestKitContext resource(String block) {
        TestKitContext context = new TestKitContext();
        new SqlServerResourceType().create(KitConfigs.resource("sqlserver", block), context);
        return context;
    }

    @Test
    void minimalBlocksAreValidWithDefaults() {
        assertThat(monitor(LOGIN).problems()).isEmpty();
        assertThat(monitor(LOGIN + ", level = 3, databases = [sales, hr], monitor-table = \"ops.dbo.kawari\"")
                .problems()).isEmpty();
        assertThat(resource(LOGIN + ", start = [systemctl, start, mssql-server], stop = [systemctl, stop, mssql-server]")
                .problems()).isEmpty();
        assertThat(monitor("url = \"jdbc:sqlserver://db;integratedSecurity=true\"").problems())
                .as("no user: the URL authenticates").isEmpty();
        assertThat(KitConfigs.monitorReference("sqlserver").getInt("level")).isEqualTo(1);
        assertThat(KitConfigs.resourceReference("sqlserver").getDuration("ready-timeout")).hasMinutes(2);
    }

    @Test
    void urlMustBeMicrosoftsJdbcUrlWithoutAPassword() {
        TestKitContext other = monitor("url = \"jdbc:postgresql://db/sales\"");
        TestKitContext withPassword = monitor("url = \"jdbc:sqlserver://db;user=sa;password=Hunter2!\"");

        assertThat(other.problemKeys()).containsExactly("url");
        assertThat(withPassword.problemKeys()).containsExactly("url");
        assertThat(withPassword.problems().get(0).message()).contains("must not contain the password")
                .doesNotContain("Hunter2!");
    }

    @Test
    void userAndPasswordSourceGoTogether() {
        assertThat(monitor("url = \"jdbc:sqlserver://db\", user = sa").problemKeys()).containsExactly("user");
        assertThat(monitor("url = \"jdbc:sqlserver://db\", password-env = PW").problemKeys())
                .containsExactly("password-env");
        assertThat(monitor(LOGIN + ", password-file = \"/etc/kawari/sql.password\"").problemKeys())
                .containsExactly("password-file");
        assertThat(monitor("url = \"jdbc:sqlserver://db\", user = sa, password-file = \"relative\"").problemKeys())
                .containsExactly("password-file");
    }

    @Test
    void aSecretsManagerSourceIsValidatedAndDeclaresItsIamAction() {
        String secret = "url = \"jdbc:sqlserver://db\", user = sa, password-secret-id = \"prod/sql-monitor\"";
        TestKitContext valid = monitor(secret + ", password-secret-json-key = password");
        TestKitContext arn = monitor("url = \"jdbc:sqlserver://db\", user = sa, password-secret-id ="
                + " \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/sql-AbCdEf\"");
        TestKitContext badId = monitor("url = \"jdbc:sqlserver://db\", user = sa, password-secret-id = \"no spaces\"");
        TestKitContext strayKey = monitor(LOGIN + ", password-secret-json-key = password");
        TestKitContext twoSources = monitor(LOGIN + ", password-secret-id = prod/sql");

        assertThat(valid.problems()).isEmpty();
        assertThat(arn.problems()).isEmpty();
        assertThat(badId.problemKeys()).containsExactly("password-secret-id");
        assertThat(badId.problems().get(0).message()).contains("name", "ARN");
        assertThat(strayKey.problemKeys()).containsExactly("password-secret-json-key");
        assertThat(twoSources.problemKeys()).containsExactly("password-secret-id");
        assertThat(new SqlServerMonitorType().iamActions(KitConfigs.monitor("sqlserver", secret).config()))
                .containsExactly("secretsmanager:GetSecretValue");
        assertThat(new SqlServerResourceType().iamActions(KitConfigs.resource("sqlserver", secret
                + ", start = [a], stop = [b]").config())).containsExactly("secretsmanager:GetSecretValue");
        assertThat(new SqlServerMonitorType().iamActions(KitConfigs.monitor("sqlserver", LOGIN).config())).isEmpty();
    }

    @Test
    void aBrokenAwsSectionIsReportedForASecretsManagerSource() {
        TestKitContext context = new TestKitContext().withSection("aws", com.typesafe.config.ConfigFactory.parseString(
                "region = \"not a region\""));
        new SqlServerMonitorType().create(KitConfigs.monitor("sqlserver", "url = \"jdbc:sqlserver://db\", user = sa,"
                + " password-secret-id = prod/sql"), context);

        assertThat(context.problems()).singleElement().satisfies(problem ->
                assertThat(problem.message()).contains("kawari.aws.region", "not a region"));
    }

    @Test
    void aWrittenPasswordIsRejectedAndDeclaredSecret() {
        TestKitContext context = monitor(LOGIN + ", password = \"Hunter2!\"");

        assertThat(context.problemKeys()).containsExactly("password");
        assertThat(context.problems().get(0).message()).contains("never written", "password-secret-id").doesNotContain("Hunter2!");
        assertThat(new SqlServerMonitorType().secretKeys()).contains("password", "url");
        assertThat(new SqlServerResourceType().secretKeys()).contains("password", "url");
    }

    @Test
    void levelsAndDatabasesMustAgree() {
        assertThat(monitor(LOGIN + ", level = 0").problemKeys()).containsExactly("level");
        assertThat(monitor(LOGIN + ", level = 4").problemKeys()).containsExactly("level");
        assertThat(monitor(LOGIN + ", level = two").problemKeys()).containsExactly("level");
        assertThat(monitor(LOGIN + ", level = 2").problemKeys()).containsExactly("databases");
        assertThat(monitor(LOGIN + ", level = 1, databases = [sales]").problemKeys()).containsExactly("databases");
    }

    @Test
    void monitorTableMustBeAPlainName() {
        TestKitContext context = monitor(LOGIN + ", level = 3, databases = [sales],"
                + " monitor-table = \"x]; DROP TABLE sales--\"");

        assertThat(context.problemKeys()).containsExactly("monitor-table");
        assertThat(monitor(LOGIN + ", level = 3, databases = [sales], monitor-table = \"a.b.c.d\"").problemKeys())
                .containsExactly("monitor-table");
    }

    @Test
    void durationsNeedAUnit() {
        assertThat(monitor(LOGIN + ", login-timeout = 5, query-timeout = 0s").problemKeys())
                .containsExactly("login-timeout", "query-timeout");
    }

    @Test
    void everyResourceProblemIsReportedAtOnce() {
        TestKitContext context = resource("start = \"systemctl start mssql-server\", ready-timeout = 90");

        assertThat(context.problemKeys()).containsExactly("start", "stop", "ready-timeout", "url");
    }

    @Test
    void theKitContributesBothTypes() {
        SqlServerKit kit = new SqlServerKit();

        assertThat(kit.resourceTypes()).extracting(type -> type.id()).containsExactly("sqlserver");
        assertThat(kit.monitorTypes()).extracting(type -> type.id()).containsExactly("sqlserver");
        assertThat(ServiceLoader.load(dev.kawari.spi.RecoveryKit.class).stream()
                .map(provider -> provider.type().getName())).contains(SqlServerKit.class.getName());
    }
}
