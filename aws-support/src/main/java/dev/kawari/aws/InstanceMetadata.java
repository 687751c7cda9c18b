package dev.kawari.aws;

import dev.kawari.spi.KawariException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The EC2 instance metadata service, version 2 only: every read presents a session token obtained
 * with {@code PUT /latest/api/token}; when no token can be had, nothing is read (there is no
 * fallback to IMDSv1, whose tokenless GETs SSRF attacks abuse). Connect and read timeouts are short
 * (1 s), so a host that is not on EC2 finds out quickly.
 *
 * <p>The endpoint is {@code http://169.254.169.254} unless {@value #ENDPOINT_VARIABLE} (environment
 * variable or system property, as the AWS SDK reads it) names another, such as a test's stub;
 * {@code AWS_EC2_METADATA_DISABLED=true} turns it off.
 */
public final class InstanceMetadata {
    /** The environment variable (or system property) that overrides the endpoint. */
    public static final String ENDPOINT_VARIABLE = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
    /** The SDK's system property for the same. */
    static final String ENDPOINT_PROPERTY = "aws.ec2MetadataServiceEndpoint";
    static final String DISABLED_VARIABLE = "AWS_EC2_METADATA_DISABLED";
    static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String TOKEN_TTL_SECONDS = "21600";
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /**
     * What IMDSv2 says about the instance it runs on.
     *
     * @param instanceId {@code i-…}
     * @param region the instance's region
     * @param mac the MAC address of the primary network interface
     * @param eni the id of the primary network interface
     */
    public record Facts(String instanceId, String region, String mac, String eni) {
        public Facts {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(eni, "eni");
        }
    }

    private final Optional<URI> endpoint;

    private InstanceMetadata(Optional<URI> endpoint) {
        this.endpoint = endpoint;
    }

    /** The service as the environment configures it (see the class comment). */
    public static InstanceMetadata fromEnvironment() {
        return fromSettings(name -> Optional.ofNullable(System.getProperty(name)).or(() -> Optional.ofNullable(System.getenv(name))));
    }

    /** As {@link #fromEnvironment}, with settings read from {@code settings} (tests). */
    static InstanceMetadata fromSettings(Function<String, Optional<String>> settings) {
        if (settings.apply(DISABLED_VARIABLE).map(value -> value.trim().equalsIgnoreCase("true")).orElse(false)) {
            return new InstanceMetadata(Optional.empty());
        }
        String endpoint = settings.apply(ENDPOINT_VARIABLE)
                .or(() -> settings.apply(ENDPOINT_PROPERTY))
                .map(String::trim).filter(value -> !value.isEmpty())
                .orElse(DEFAULT_ENDPOINT);
        return at(URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint));
    }

    /** The service at {@code endpoint} ({@code http://127.0.0.1:PORT}). */
    public static InstanceMetadata at(URI endpoint) {
        return new InstanceMetadata(Optional.of(endpoint));
    }

    /** Where it is read from; empty when turned off. */
    public Optional<URI> endpoint() {
        return endpoint;
    }

    /**
     * Reads the instance's id, region, primary MAC and primary ENI.
     *
     * @throws KawariException {@link AwsErrorCodes#NODE_IDENTITY_UNKNOWN} when the service is off, does
     *     not answer, refuses a token, or answers nonsense; interrupted when the thread is
     */
    public Facts read() {
        URI base = endpoint.orElseThrow(() -> unknown("IMDS is turned off (" + DISABLED_VARIABLE + "=true)", null));
        String token = token(base);
        String instanceId = get(base, token, "instance-id");
        String region = get(base, token, "placement/region");
        String mac = get(base, token, "mac").toLowerCase(java.util.Locale.ROOT);
        if (!MAC.matcher(mac).matches()) {
            throw unknown("IMDSv2 at " + base + " gave a malformed MAC address '" + mac + "'", null);
        }
        String eni = get(base, token, "network/interfaces/macs/" + mac + "/interface-id");
        if (!instanceId.startsWith("i-") || !eni.startsWith("eni-")) {
            throw unknown("IMDSv2 at " + base + " gave unexpected ids: instance '" + instanceId + "', interface '"
                    + eni + "'", null);
        }
        return new Facts(instanceId, region, mac, eni);
    }

    private String token(URI base) {
        HttpURLConnection connection = open(base, "/latest/api/token");
        try {
            connection.setRequestMethod("PUT");
            connection.setRequestProperty("X-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
            int status = connection.getResponseCode();
            if (status != 200) {
                throw unknown("IMDSv2 at " + base + " refused a session token (HTTP " + status + "); Kawari never"
                        + " falls back to IMDSv1", null);
            }
            return body(connection);
        } catch (IOException e) {
            throw unreachable(base, e);
        } finally {
            connection.disconnect();
        }
    }

    private String get(URI base, String token, String path) {
        HttpURLConnection connection = open(base, "/latest/meta-data/" + path);
        try {
            connection.setRequestProperty("X-aws-ec2-metadata-token", token);
            int status = connection.getResponseCode();
            if (status != 200) {
                throw unknown("IMDSv2 at " + base + " answered HTTP " + status + " for " + path, null);
            }
            String value = body(connection).trim();
            if (value.isEmpty()) {
                throw unknown("IMDSv2 at " + base + " gave an empty " + path, null);
            }
            return value;
        } catch (IOException e) {
            throw unreachable(base, e);
        } finally {
            connection.disconnect();
        }
    }

    private static HttpURLConnection open(URI base, String path) {
        try {
            URL url = URI.create(base + path).toURL();
            HttpURLConnection connection = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw unknown("cannot reach IMDSv2 at " + base + ": " + e, e);
        }
    }

    private static String body(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getInputStream()) {
            byte[] bytes = in.readNBytes(4096);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static KawariException unreachable(URI base, IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return KawariException.interrupted("interrupted while reading IMDSv2", new InterruptedException());
        }
        return unknown("IMDSv2 at " + base + " did not answer within " + TIMEOUT.toMillis() + " ms (" + e + ")", e);
    }

    private static KawariException unknown(String message, Throwable cause) {
        return new KawariException(AwsErrorCodes.NODE_IDENTITY_UNKNOWN, true, message, cause);
    }
}
