package dev.kawari.app;

import com.typesafe.config.Config;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.BlockReader;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.ProblemReporter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The password keys of a kit's block, named after one prefix ({@code password}, {@code bind-password}):
 *
 * <ul>
 *   <li>{@code PREFIX-env}: the name of an environment variable of the agent ({@link EnvironmentPassword});
 *   <li>{@code PREFIX-file}: the absolute path of a file ({@link FilePassword});
 *   <li>{@code PREFIX-secret-id}: the name or ARN of an AWS Secrets Manager secret, with {@code
 *       PREFIX-secret-json-key} naming the field that holds the password when the secret is a JSON
 *       object ({@link SecretsManagerPassword});
 *   <li>{@code PREFIX} itself: declared (and secret, so the engine redacts its value) only to be
 *       rejected: a password is never written in the configuration.
 * </ul>
 *
 * A password belongs to an owner key ({@code user}, {@code bind-dn}): exactly one source when the owner
 * is set, none when it is not. A kit declares these keys with {@code null} defaults in its {@code
 * reference.conf}, and its type's {@code secretKeys()} and {@code iamActions()} use {@link
 * #writtenKey()} and {@link #iamActions(Config)}.
 */
public final class PasswordSources {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * A password source as configured.
     *
     * @param key the key that names it ({@code password-file}), for problems found later (verify)
     * @param source the source
     */
    public record Setting(String key, PasswordSource source) {
        public Setting {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(source, "source");
        }
    }

    private final String prefix;
    private final ErrorCode unavailable;
    private final UnaryOperator<String> environment;
    private final InstanceMetadata metadata;

    /** Sources whose Secrets Manager region, when nothing else gives it, comes from IMDSv2 as the environment says. */
    public PasswordSources(String prefix, ErrorCode unavailable, UnaryOperator<String> environment) {
        this(prefix, unavailable, environment, InstanceMetadata.fromEnvironment());
    }

    /**
     * @param prefix the keys' common prefix
     * @param unavailable the kit's CONFIGURATION code for a password that cannot be read
     * @param environment reads the agent's environment variables ({@code System::getenv})
     * @param metadata where a Secrets Manager secret's region comes from when nothing else gives it
     */
    public PasswordSources(String prefix, ErrorCode unavailable, UnaryOperator<String> environment,
            InstanceMetadata metadata) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        if (unavailable.type() != ErrorType.CONFIGURATION) {
            throw new IllegalArgumentException("a password that cannot be read is a configuration problem: " + unavailable);
        }
    }

    public String envKey() {
        return prefix + "-env";
    }

    public String fileKey() {
        return prefix + "-file";
    }

    public String secretIdKey() {
        return prefix + "-secret-id";
    }

    public String secretJsonKeyKey() {
        return prefix + "-secret-json-key";
    }

    /** The key that would hold a written password: rejected, and to be declared secret by the type. */
    public String writtenKey() {
        return prefix;
    }

    /** The keys that name a source, in the order problems name them. */
    public List<String> sourceKeys() {
        return List.of(envKey(), fileKey(), secretIdKey());
    }

    /** The IAM actions reading the password of {@code block} calls: GetSecretValue for a secret, else none. */
    public Set<String> iamActions(Config block) {
        return block.hasPath(secretIdKey()) ? Set.of(SecretsManagerPassword.GET_SECRET_VALUE) : Set.of();
    }

    /**
     * Reads and checks the password keys of {@code block}, reporting every problem to {@code problems}
     * at its key, and builds the source; touches nothing (a Secrets Manager source leases AWS clients,
     * which are built on first use).
     *
     * @param ownerKey the key the password belongs to ({@code user}), which must be set exactly when a
     *     source is
     * @param context for the {@code kawari.aws} section that a Secrets Manager source uses
     * @return the source; empty when none is configured or after a problem
     */
    public Optional<Setting> read(Config block, String ownerKey, KitContext context, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counted = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counted);
        String alternatives = "'" + envKey() + "', '" + fileKey() + "' or '" + secretIdKey() + "'";
        if (keys.has(writtenKey())) {
            counted.problem(writtenKey(), "'" + writtenKey() + "' is not allowed: a password is never written in the"
                    + " configuration; name where to read it with " + alternatives);
        }
        Optional<String> variable = keys.optionalString(envKey()).filter(name -> {
            if (VARIABLE_NAME.matcher(name).matches()) {
                return true;
            }
            counted.problem(envKey(), "'" + envKey() + "' must name an environment variable (letters, digits, '_'),"
                    + " got '" + name + "'");
            return false;
        });
        Optional<Path> file = keys.optionalString(fileKey()).flatMap(text -> absolutePath(text, counted));
        Optional<String> secretId = keys.optionalString(secretIdKey()).filter(id -> {
            if (SecretsManagerPassword.isSecretId(id)) {
                return true;
            }
            counted.problem(secretIdKey(), "'" + secretIdKey() + "' must be a secret's name (letters, digits and"
                    + " /_+=.@-, up to 512) or its ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx),"
                    + " got '" + id + "'");
            return false;
        });
        Optional<String> jsonField = keys.optionalString(secretJsonKeyKey());
        if (keys.has(secretJsonKeyKey()) && !keys.has(secretIdKey())) {
            counted.problem(secretJsonKeyKey(), "'" + secretJsonKeyKey() + "' names a field of a Secrets Manager"
                    + " secret: set '" + secretIdKey() + "' too, or remove it");
        }
        List<String> set = sourceKeys().stream().filter(keys::has).toList();
        if (set.size() > 1) {
            counted.problem(set.get(1), "set one of " + alternatives + ", not " + String.join(" and ", set));
        } else if (keys.has(ownerKey) && set.isEmpty()) {
            counted.problem(ownerKey, "'" + ownerKey + "' needs a password source: set '" + envKey() + "' (an"
                    + " environment variable's name), '" + fileKey() + "' (an absolute path) or '" + secretIdKey()
                    + "' (an AWS Secrets Manager secret)");
        } else if (!keys.has(ownerKey) && !set.isEmpty()) {
            counted.problem(set.get(0), "a password source is set but '" + ownerKey + "' is not: set '" + ownerKey
                    + "' too, or remove the password source");
        }
        Optional<AwsSettings> aws = Optional.empty();
        if (secretId.isPresent()) {
            // Messages of the kawari.aws section name their own key and FILE:LINE; they are located at the block.
            aws = Optional.of(AwsSettings.read(context.section(AwsSettings.SECTION),
                    (key, message) -> counted.problem(null, message)));
        }
        if (reported[0] > 0 || set.isEmpty()) {
            return Optional.empty();
        }
        if (variable.isPresent()) {
            return Optional.of(new Setting(envKey(), new EnvironmentPassword(variable.get(), environment, unavailable)));
        }
        if (file.isPresent()) {
            return Optional.of(new Setting(fileKey(), new FilePassword(file.get(), unavailable)));
        }
        return Optional.of(new Setting(secretIdKey(), new SecretsManagerPassword(secretId.orElseThrow(), jsonField,
                secretJsonKeyKey(), aws.orElseThrow(), metadata, unavailable)));
    }

    private Optional<Path> absolutePath(String text, ProblemReporter problems) {
        try {
            Path path = Path.of(text);
            if (path.isAbsolute()) {
                return Optional.of(path);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        problems.problem(fileKey(), "'" + fileKey() + "' must be an absolute path, got '" + text + "'");
        return Optional.empty();
    }
}
