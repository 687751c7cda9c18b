package dev.kawari.aws;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The {@code kawari.aws} section, shared by every AWS kit: which region, which endpoints, which
 * credentials.
 *
 * <pre>{@code
 * kawari.aws {
 *   region = "eu-west-1"                      # default: each node's region, else IMDSv2's
 *   endpoints { ec2 = "https://vpce-0abc-ec2.eu-west-1.vpce.amazonaws.com" }   # VPC interface endpoint
 *   credentials { role-arn = "arn:aws:iam::123456789012:role/kawari", external-id = "..." }
 * }
 * }</pre>
 *
 * @param region the default region; a node's own {@code region} attribute wins over it
 * @param endpoints endpoint override per service ({@code ec2}, {@code route53}, {@code dynamodb},
 *     {@code sts}, {@code secretsmanager}); copied
 * @param profile a named profile of the shared AWS config files instead of the default chain
 * @param roleArn a role to assume (with STS) on top of the base credentials
 * @param externalId the external id to present when assuming {@code roleArn}
 */
public record AwsSettings(
        Optional<String> region,
        Map<String, URI> endpoints,
        Optional<String> profile,
        Optional<String> roleArn,
        Optional<String> externalId) {

    /** The section's name under {@code kawari}, as declared in this module's {@code reference.conf}. */
    public static final String SECTION = "aws";

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern PROFILE = Pattern.compile("[\\w+=,.@:/-]{1,128}");
    private static final List<String> SERVICES = List.of("ec2", "route53", "dynamodb", "sts", "secretsmanager");

    /** Settings that use the default region, endpoints and credential chain. */
    public static final AwsSettings DEFAULTS =
            new AwsSettings(Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

    public AwsSettings {
        Objects.requireNonNull(region, "region");
        endpoints = Map.copyOf(endpoints);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(externalId, "externalId");
    }

    /** The endpoint override for {@code service} ({@code ec2}, {@code sts}, …), if any. */
    public Optional<URI> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    /**
     * Reads the section as {@link dev.kawari.spi.KitContext#section} gives it (declared keys only,
     * defaults merged). Every invalid value is reported to {@code problems} as (key under
     * {@code kawari.aws}, message); the message names the key's full path and where it was written,
     * because a kit's problems are located at its own block. Invalid values are left out.
     */
    public static AwsSettings read(Config section, BiConsumer<String, String> problems) {
        Optional<String> region = text(section, "region", problems).filter(value -> {
            if (!REGION.matcher(value).matches()) {
                problems.accept("region", at(section, "region") + "'" + value
                        + "' is not an AWS region name such as us-east-1 or eu-west-2");
                return false;
            }
            return true;
        });
        Map<String, URI> endpoints = new TreeMap<>();
        for (String service : SERVICES) {
            String key = "endpoints." + service;
            text(section, key, problems).ifPresent(value -> endpoint(section, key, value, problems)
                    .ifPresent(uri -> endpoints.put(service, uri)));
        }
        Optional<String> profile = text(section, "credentials.profile", problems)
                .filter(value -> matches(section, "credentials.profile", value, PROFILE,
                        "is not a profile name of the shared AWS config files", problems));
        Optional<String> roleArn = text(section, "credentials.role-arn", problems)
                .filter(value -> matches(section, "credentials.role-arn", value, ROLE_ARN,
                        "is not an IAM role ARN such as arn:aws:iam::123456789012:role/kawari", problems));
        Optional<String> externalId = text(section, "credentials.external-id", problems)
                .filter(value -> matches(section, "credentials.external-id", value, EXTERNAL_ID,
                        "is not a valid external id (2 to 1224 letters, digits and +=,.@:/-)", problems));
        if (externalId.isPresent() && roleArn.isEmpty() && present(section, "credentials.external-id")
                && !present(section, "credentials.role-arn")) {
            problems.accept("credentials.external-id", at(section, "credentials.external-id")
                    + "an external id is only used to assume a role: set kawari.aws.credentials.role-arn too");
        }
        return new AwsSettings(region, endpoints, profile, roleArn, externalId);
    }

    private static Optional<URI> endpoint(Config section, String key, String value, BiConsumer<String, String> problems) {
        try {
            URI uri = new URI(value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.accept(key, at(section, key) + "'" + value
                        + "' is not an http(s) URL such as https://vpce-0abc-ec2.us-east-1.vpce.amazonaws.com");
                return Optional.empty();
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problems.accept(key, at(section, key) + "'" + value
                        + "' must be a plain URL without user, query or fragment");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.accept(key, at(section, key) + "'" + value + "' is not a URL: " + e.getReason());
            return Optional.empty();
        }
    }

    private static boolean matches(Config section, String key, String value, Pattern pattern, String what,
            BiConsumer<String, String> problems) {
        if (pattern.matcher(value).matches()) {
            return true;
        }
        problems.accept(key, at(section, key) + "'" + value + "' " + what);
        return false;
    }

    private static boolean present(Config section, String key) {
        try {
            return section.hasPath(key);
        } catch (ConfigException e) {
            return false;
        }
    }

    private static Optional<String> text(Config section, String key, BiConsumer<String, String> problems) {
        ConfigValue value;
        try {
            if (!section.hasPath(key)) {
                return Optional.empty();
            }
            value = section.getValue(key);
        } catch (ConfigException e) {
            problems.accept(key, "kawari.aws." + key + ": " + e.getMessage());
            return Optional.empty();
        }
        if (value.valueType() != ConfigValueType.STRING) {
            problems.accept(key, at(section, key) + "expected a string, got " + value.valueType().name().toLowerCase());
            return Optional.empty();
        }
        String text = ((String) value.unwrapped()).trim();
        if (text.isEmpty()) {
            problems.accept(key, at(section, key) + "must not be empty; leave it out for the default");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** {@code kawari.aws.KEY (FILE:LINE): }, for messages reported at a kit's block. */
    private static String at(Config section, String key) {
        String where = "";
        try {
            ConfigOrigin origin = section.getValue(key).origin();
            if (origin != null && origin.filename() != null && origin.lineNumber() > 0) {
                where = " (" + origin.filename() + ":" + origin.lineNumber() + ")";
            }
        } catch (ConfigException e) {
            where = "";
        }
        return "kawari.aws." + key + where + ": ";
    }

    /** The problems of {@link #read} as lines, for tests and simple callers. */
    static List<String> problemsOf(Config section) {
        List<String> problems = new ArrayList<>();
        read(section, (key, message) -> problems.add(message));
        return problems;
    }
}
