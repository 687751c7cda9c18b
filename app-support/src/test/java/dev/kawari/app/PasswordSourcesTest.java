package dev.kawari.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.testkit.OperationContexts;
import dev.kawari.testkit.TestKitContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password keys of a block, and the environment and file sources they build. */
class PasswordSourcesTest {
    static final ErrorCode UNAVAILABLE = new ErrorCode("TEST_PASSWORD_UNAVAILABLE", ErrorType.CONFIGURATION);
    private static final String SECRET = "Pa55-" + System.nanoTime();

    @TempDir
    Path dir;

    private final PasswordSources passwords = new PasswordSources("password", UNAVAILABLE,
            Map.of("SQL_PASSWORD", SECRET, "EMPTY", "")::get);
    private final TestKitContext problems = new TestKitContext();

    private Optional<PasswordSources.Setting> read(String hocon) {
        Config block = ConfigFactory.parseString(hocon);
        return passwords.read(block, "user", problems, problems);
    }

    @Test
    void eachKeyBuildsItsSource() {
        PasswordSources.Setting fromEnvironment = read("user = sa, password-env = SQL_PASSWORD").orElseThrow();
        PasswordSources.Setting fromFile = read("user = sa, password-file = \"/etc/kawari/sql.password\"").orElseThrow();
        PasswordSources.Setting fromSecret = read("user = sa, password-secret-id = \"prod/sql\","
                + " password-secret-json-key = password").orElseThrow();
        fromSecret.source().close();

        assertThat(problems.problems()).isEmpty();
        assertThat(fromEnvironment.key()).isEqualTo("password-env");
        assertThat(fromEnvironment.source()).isInstanceOf(EnvironmentPassword.class);
        assertThat(fromFile.key()).isEqualTo("password-file");
        assertThat(fromFile.source().describe()).isEqualTo("file /etc/kawari/sql.password");
        assertThat(fromSecret.key()).isEqualTo("password-secret-id");
        assertThat(fromSecret.source().describe()).isEqualTo("Secrets Manager secret 'prod/sql' (JSON field 'password')");
        assertThat(read("url = x")).as("no owner, no source: no password").isEmpty();
    }

    @Test
    void anOwnerTakesExactlyOneSourceAndASourceAnOwner() {
        assertThat(read("user = sa")).isEmpty();
        assertThat(read("user = sa, password-env = A, password-secret-id = b")).isEmpty();
        assertThat(read("password-file = \"/etc/pw\"")).isEmpty();

        assertThat(problems.problemKeys()).containsExactly("user", "password-secret-id", "password-file");
        assertThat(problems.problems().get(0).message()).contains("'user' needs a password source", "password-env",
                "password-file", "password-secret-id");
        assertThat(problems.problems().get(1).message()).contains("set one of", "not password-env and password-secret-id");
        assertThat(problems.problems().get(2).message()).contains("'user' is not");
    }

    @Test
    void aWrittenPasswordIsRejectedWithoutRepeatingIt() {
        assertThat(read("user = sa, password = \"" + SECRET + "\", password-env = SQL_PASSWORD")).isEmpty();

        assertThat(problems.problemKeys()).containsExactly("password");
        assertThat(problems.problems().get(0).message()).contains("never written", "password-secret-id")
                .doesNotContain(SECRET);
        assertThat(passwords.writtenKey()).isEqualTo("password");
    }

    @Test
    void badValuesAreReportedAtTheirKeys() {
        read("user = sa, password-env = \"NOT A NAME\"");
        read("user = sa, password-file = relative/pw");
        read("user = sa, password-secret-id = \"has spaces\"");
        read("user = sa, password-env = A, password-secret-json-key = password");
        read("user = sa, password-secret-id = [a]");

        assertThat(problems.problemKeys()).containsExactly("password-env", "password-file", "password-secret-id",
                "password-secret-json-key", "password-secret-id");
    }

    @Test
    void secretArnsAreAccepted() {
        read("user = sa, password-secret-id = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/sql-AbCdEf\"")
                .orElseThrow().source().close();
        read("user = sa, password-secret-id = \"arn:aws:secretsmanager:moon-1:123:secret:x\"");

        assertThat(problems.problemKeys()).as("the second is a name with ':' in it, which names may not have")
                .containsExactly("password-secret-id");
    }

    @Test
    void onlyASecretCallsAws() {
        assertThat(passwords.iamActions(ConfigFactory.parseString("user = sa, password-secret-id = s")))
                .containsExactly("secretsmanager:GetSecretValue");
        assertThat(passwords.iamActions(ConfigFactory.parseString("user = sa, password-env = A"))).isEmpty();
    }

    @Test
    void theEnvironmentSourceReadsItsVariable() {
        PasswordSource set = read("user = sa, password-env = SQL_PASSWORD").orElseThrow().source();
        PasswordSource unset = read("user = sa, password-env = UNSET").orElseThrow().source();
        PasswordSource empty = read("user = sa, password-env = EMPTY").orElseThrow().source();
        TestKitContext verified = new TestKitContext();

        assertThat(set.read(OperationContexts.standard()).value()).isEqualTo(SECRET);
        assertThat(set.read(OperationContexts.standard())).hasToString("<secret>");
        KawariException thrown = catchThrowableOfType(KawariException.class, () -> unset.read(OperationContexts.standard()));
        assertThat(thrown.code()).isEqualTo(UNAVAILABLE);
        assertThat(thrown.getMessage()).contains("environment variable UNSET", "not set");
        assertThat(catchThrowableOfType(KawariException.class, () -> empty.read(OperationContexts.standard()))
                .getMessage()).contains("empty");
        set.verify("password-env", OperationContexts.standard(), verified);
        unset.verify("password-env", OperationContexts.standard(), verified);
        assertThat(verified.problemKeys()).containsExactly("password-env");
    }

    @Test
    void theFileSourceReadsTheFileAtEveryUseWithoutItsLineBreak() throws Exception {
        Path file = dir.resolve("sql.password");
        FilePassword source = new FilePassword(file, UNAVAILABLE);
        TestKitContext verified = new TestKitContext();

        source.verify("password-file", OperationContexts.standard(), verified);
        KawariException missing = catchThrowableOfType(KawariException.class, () -> source.read(OperationContexts.standard()));
        Files.writeString(file, SECRET + "\r\n");
        String first = source.read(OperationContexts.standard()).value();
        Files.writeString(file, "rotated\n");
        String second = source.read(OperationContexts.standard()).value();
        Files.writeString(file, "\n");
        KawariException empty = catchThrowableOfType(KawariException.class, () -> source.read(OperationContexts.standard()));
        Files.write(file, new byte[FilePassword.MAX_BYTES + 1]);
        KawariException tooLong = catchThrowableOfType(KawariException.class, () -> source.read(OperationContexts.standard()));

        assertThat(verified.problemKeys()).containsExactly("password-file");
        assertThat(missing.code()).isEqualTo(UNAVAILABLE);
        assertThat(missing.getMessage()).contains(file.toString());
        assertThat(first).isEqualTo(SECRET);
        assertThat(second).isEqualTo("rotated");
        assertThat(empty.getMessage()).contains("is empty");
        assertThat(tooLong.getMessage()).contains("longer than");
    }
}
