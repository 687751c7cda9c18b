package dev.kawari.testkit.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An AWS-compatible endpoint for tests, as {@link AwsEndpointExtension} provides it: where it is,
 * which region and credentials to use with it, and how to empty it between tests.
 *
 * @param uri the endpoint ({@code http://127.0.0.1:PORT}) every service is reached at
 * @param region the region tests use
 * @param accessKeyId the access key to sign with (emulators accept any)
 * @param secretAccessKey its secret
 * @param kind what answers there
 */
public record AwsEndpoint(URI uri, String region, String accessKeyId, String secretAccessKey, Kind kind) {

    /** What serves the endpoint. */
    public enum Kind {
        /** Given by {@code KAWARI_AWS_ENDPOINT}. */
        GIVEN,
        /** LocalStack in a container started through Testcontainers. */
        LOCALSTACK,
        /** {@code moto_server} started by the fixture. */
        MOTO
    }

    /** The region of every test topology. */
    public static final String DEFAULT_REGION = "us-east-1";

    public AwsEndpoint {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * An EC2 client for the test's own setup and assertions (not the kit's client, so its calls are
     * not counted as the kit's): static credentials, the SDK's standard retries.
     */
    public Ec2Client ec2() {
        return ec2(region);
    }

    /** As {@link #ec2()}, for another region of the endpoint (emulators keep each region's EC2 apart). */
    public Ec2Client ec2(String region) {
        return Ec2Client.builder()
                .endpointOverride(uri)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }

    /** A Route 53 client for the test's own setup and assertions (zones, records), as {@link #ec2()}. */
    public Route53Client route53() {
        return Route53Client.builder()
                .endpointOverride(uri)
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }

    /**
     * A Secrets Manager client for the test's own secrets (not the kit's client, so its calls are not
     * counted as the kit's): static credentials, the SDK's standard retries.
     */
    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder()
                .endpointOverride(uri)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60)).build())
                .build();
    }

    /**
     * The {@code kawari.aws} block that points every kit at this endpoint, as HOCON:
     * {@code aws { region = "us-east-1", endpoints { ec2 = "http://…", sts = "http://…", … } }}.
     */
    public String awsSectionHocon() {
        return awsSectionHocon(uri);
    }

    /** As {@link #awsSectionHocon()}, with every service at {@code endpoint} (a fault injector's). */
    public String awsSectionHocon(URI endpoint) {
        String at = "\"" + endpoint + "\"";
        return "aws { region = \"" + region + "\", endpoints { ec2 = " + at + ", sts = " + at + ", route53 = " + at
                + ", dynamodb = " + at + ", secretsmanager = " + at + " } }";
    }

    /** Empties the emulator: every VPC, instance, address and route is gone. */
    public void reset() {
        String path = switch (kind) {
            case MOTO, GIVEN -> "/moto-api/reset";
            case LOCALSTACK -> "/_localstack/state/reset";
        };
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.resolve(path).toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(60_000);
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            connection.disconnect();
            if (status >= 300 && kind == Kind.MOTO) {
                throw new IllegalStateException("reset of moto_server at " + uri + " answered HTTP " + status);
            }
        } catch (IOException e) {
            if (kind == Kind.MOTO) {
                throw new IllegalStateException("cannot reset moto_server at " + uri + ": " + e, e);
            }
            // An endpoint that cannot be reset is used as it is; topologies are new every time anyway.
        }
    }
}
