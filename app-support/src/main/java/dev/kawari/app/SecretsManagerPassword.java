package dev.kawari.app;

import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.InstanceMetadata;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * A password in AWS Secrets Manager: the secret's string, or one field of it when the secret is a
 * JSON object such as {@code {"username": "kawari_monitor", "password": "…"}} (as the console and
 * the rotation functions store database credentials).
 *
 * <p>Read with {@code secretsmanager:GetSecretValue} through the clients of {@code kawari.aws}
 * (endpoint override, credentials, counted calls), retried with backoff while throttled or failing,
 * within at most half of the time left to the caller (and {@link #LONGEST_READ}), so that a slow
 * Secrets Manager leaves the check time to say Unknown rather than time out:
 *
 * <ul>
 *   <li>a secret that does not exist, may not be read, is binary or lacks the JSON field is a
 *       configuration problem (the kit's CONFIGURATION code, naming the secret): never a failover;
 *   <li>throttling, server errors, an unreachable endpoint or no answer in time are retryable
 *       EXTERNAL failures: the check that needed the password says Unknown.
 * </ul>
 *
 * <p>A value read is reused for {@link #REUSE_FOR}, so that a check every few seconds does not call
 * Secrets Manager every few seconds and keeps working through a short outage of it; {@link #forget()}
 * (the server refused the password: it was rotated) makes the next read fetch it again.
 *
 * <p>The region is the secret ARN's; for a name, the node's {@code region}, else {@code
 * kawari.aws.region}, else the instance's (IMDSv2). The value is never put in a message, an event, a
 * log line or {@code toString()}; messages name the secret id and the JSON field only.
 */
public final class SecretsManagerPassword implements PasswordSource {
    /** The IAM action of every call; {@code kawari iam-policy} lists it for blocks that name a secret. */
    public static final String GET_SECRET_VALUE = "secretsmanager:GetSecretValue";
    /** How long a value read is used before it is read again. */
    public static final Duration REUSE_FOR = Duration.ofMinutes(5);
    /** The longest one read (with its retries) may take. */
    static final Duration LONGEST_READ = Duration.ofSeconds(10);

    /** A secret's ARN: {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-SUFFIX}. */
    static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-[0-9]+):"
            + "[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+");
    /** A secret's name, as Secrets Manager allows it. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    private record Kept(Password password, long readAtNanos) {
    }

    private final String secretId;
    private final Optional<String> jsonField;
    private final String jsonFieldKey;
    private final AwsSettings settings;
    private final AwsClients.Lease clients;
    private final InstanceMetadata metadata;
    private final ErrorCode unavailable;
    private final Object lock = new Object();
    private Kept kept;
    private String instanceRegion;

    /**
     * A source that leases AWS clients for {@code settings} (built on first use: this touches nothing).
     *
     * @param secretId the secret's name or ARN
     * @param jsonField the field of a JSON secret that holds the password; empty: the whole string
     * @param jsonFieldKey the configuration key of {@code jsonField}, for messages
     * @param metadata where the region comes from when nothing else gives it
     * @param unavailable the kit's CONFIGURATION code for a password that cannot be read
     */
    public SecretsManagerPassword(String secretId, Optional<String> jsonField, String jsonFieldKey, AwsSettings settings,
            InstanceMetadata metadata, ErrorCode unavailable) {
        this.secretId = Objects.requireNonNull(secretId, "secretId");
        this.jsonField = Objects.requireNonNull(jsonField, "jsonField");
        this.jsonFieldKey = Objects.requireNonNull(jsonFieldKey, "jsonFieldKey");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
        if (unavailable.type() != ErrorType.CONFIGURATION) {
            throw new IllegalArgumentException("a password that cannot be read is a configuration problem: " + unavailable);
        }
        this.clients = AwsClients.lease(settings);
    }

    /** Whether {@code id} is a secret name or ARN that Secrets Manager accepts. */
    public static boolean isSecretId(String id) {
        return NAME.matcher(id).matches() || ARN.matcher(id).matches();
    }

    public String secretId() {
        return secretId;
    }

    @Override
    public Password read(OperationContext context) {
        synchronized (lock) {
            if (kept != null && context.time().nanoTime() - kept.readAtNanos() < REUSE_FOR.toNanos()) {
                return kept.password();
            }
        }
        return fetch(context);
    }

    @Override
    public void forget() {
        synchronized (lock) {
            kept = null;
        }
    }

    @Override
    public String describe() {
        return "Secrets Manager secret '" + secretId + "'" + jsonField.map(field -> " (JSON field '" + field + "')")
                .orElse("");
    }

    /** Reads the secret afresh; a configuration problem is reported on {@code key}, anything else thrown. */
    @Override
    public void verify(String key, OperationContext context, ProblemReporter problems) {
        try {
            fetch(context);
        } catch (KawariException e) {
            if (e.type() != ErrorType.CONFIGURATION) {
                throw e;
            }
            problems.problem(key, e.getMessage());
        }
    }

    @Override
    public void close() {
        clients.close();
    }

    @Override
    public String toString() {
        return "SecretsManagerPassword[" + secretId + jsonField.map(field -> ", " + field).orElse("") + "]";
    }

    private Password fetch(OperationContext context) {
        String region = region(context);
        Duration half = context.deadline().remaining().dividedBy(2);
        Duration budget = half.compareTo(LONGEST_READ) < 0 ? half : LONGEST_READ;
        AwsOperation calls = clients.calls().on(Contexts.narrowed(context, budget));
        SecretsManagerClient client = clients.secretsManager(region);
        GetSecretValueResponse response;
        try {
            response = calls.act(GET_SECRET_VALUE, limits -> client.getSecretValue(request -> request
                    .secretId(secretId).overrideConfiguration(limits)));
        } catch (KawariException e) {
            throw translate(e, region, budget);
        } finally {
            calls.noteCalls("reading the password of " + describe());
        }
        Password password = password(response, region);
        synchronized (lock) {
            kept = new Kept(password, context.time().nanoTime());
        }
        return password;
    }

    private KawariException translate(KawariException e, String region, Duration budget) {
        if (e.code().equals(ErrorCode.ACTION_INTERRUPTED)) {
            return e;
        }
        String where = describe() + " in " + region;
        if (e.type() == ErrorType.TIMEOUT) {
            // Our own share of the time ran out, not necessarily the caller's: "could not tell".
            return new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, GET_SECRET_VALUE, null, null,
                    "Secrets Manager did not give " + where + " within " + budget.toMillis() + " ms: "
                            + e.getMessage(), e);
        }
        if (e.retryable()) {
            String message = "cannot read the password of " + where + " now: " + e.getMessage();
            return e instanceof AwsException aws
                    ? new AwsException(aws.code(), true, aws.action(), aws.awsErrorCode().orElse(null),
                            aws.requestId().orElse(null), message, e)
                    : new KawariException(e.code(), true, message, e);
        }
        if (e.type() != ErrorType.CONFIGURATION) {
            return e;
        }
        boolean missing = e instanceof AwsException aws && aws.is("ResourceNotFoundException");
        boolean denied = e.code().equals(AwsErrorCodes.AWS_ACCESS_DENIED);
        return new KawariException(unavailable, false, "configuration problem: " + (missing
                ? where + " does not exist (check the secret id and the region): "
                : denied ? "this node may not read " + where + ": "
                : "cannot read the password of " + where + ": ") + e.getMessage(), e);
    }

    private Password password(GetSecretValueResponse response, String region) {
        String where = describe() + " in " + region;
        String text = response.secretString();
        if (text == null) {
            throw problem(where + " holds binary data (SecretBinary); store the password as a string");
        }
        if (jsonField.isEmpty()) {
            if (jsonObject(text).isPresent()) {
                throw problem(where + " holds a JSON object: set '" + jsonFieldKey
                        + "' to the field that holds the password (often \"password\")");
            }
            if (text.isEmpty()) {
                throw problem(where + " is empty");
            }
            return new Password(text);
        }
        String field = jsonField.get();
        Map<String, JsonNode> fields = jsonObject(text).orElseThrow(() -> problem(where + " is not a JSON object, but '"
                + jsonFieldKey + "' = \"" + field + "\" expects one such as {\"username\": …, \"" + field + "\": …}"));
        JsonNode value = fields.get(field);
        if (value == null) {
            throw problem(where + " has no field '" + field + "' (" + jsonFieldKey + ")");
        }
        if (!value.isString()) {
            throw problem("field '" + field + "' of " + where + " is not a string");
        }
        if (value.asString().isEmpty()) {
            throw problem("field '" + field + "' of " + where + " is empty");
        }
        return new Password(value.asString());
    }

    /** The fields of {@code text} when it is a JSON object; the parser's messages are never used (they quote the text). */
    private static Optional<Map<String, JsonNode>> jsonObject(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JsonNode.parser().parse(trimmed);
            return node.isObject() ? Optional.of(node.asObject()) : Optional.empty();
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private KawariException problem(String message) {
        return KawariException.permanent(unavailable, "configuration problem: " + message);
    }

    private String region(OperationContext context) {
        Matcher arn = ARN.matcher(secretId);
        if (arn.matches()) {
            return arn.group(1);
        }
        Optional<String> configured = context.node().attribute("region").or(settings::region);
        if (configured.isPresent()) {
            return configured.get();
        }
        synchronized (lock) {
            if (instanceRegion == null) {
                try {
                    instanceRegion = metadata.read().region();
                } catch (KawariException e) {
                    if (e.code().equals(ErrorCode.ACTION_INTERRUPTED)) {
                        throw e;
                    }
                    throw new KawariException(unavailable, false, "configuration problem: the region of " + describe()
                            + " is unknown: give the secret's ARN, set kawari.aws.region or the node's region, or run"
                            + " on EC2 with IMDSv2 reachable (" + e.getMessage() + ")", e);
                }
            }
            return instanceRegion;
        }
    }
}
