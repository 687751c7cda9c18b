package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {
    private static final Config REFERENCE = ConfigFactory.parseResources("reference.conf")
            .getConfig("kawari-kits.sections.aws");

    private static Config section(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(REFERENCE);
    }

    @Test
    void theDefaultsAreTheDefaultChainEverywhere() {
        AwsSettings settings = AwsSettings.read(REFERENCE, (key, message) -> {
            throw new AssertionError(message);
        });

        assertThat(settings).isEqualTo(AwsSettings.DEFAULTS);
    }

    @Test
    void everyKeyIsRead() {
        AwsSettings settings = AwsSettings.read(section("""
                region = eu-west-2
                endpoints { ec2 = "https://vpce-1.ec2.eu-west-2.vpce.amazonaws.com", sts = "http://127.0.0.1:4566" }
                credentials { role-arn = "arn:aws:iam::123456789012:role/kawari", external-id = "ext-42" }
                """), (key, message) -> {
                    throw new AssertionError(message);
                });

        assertThat(settings.region()).contains("eu-west-2");
        assertThat(settings.endpoint("ec2")).contains(URI.create("https://vpce-1.ec2.eu-west-2.vpce.amazonaws.com"));
        assertThat(settings.endpoint("sts")).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(settings.endpoint("route53")).isEmpty();
        assertThat(settings.roleArn()).contains("arn:aws:iam::123456789012:role/kawari");
        assertThat(settings.externalId()).contains("ext-42");
    }

    @Test
    void everyBadValueIsReportedWithItsFullKey() {
        assertThat(AwsSettings.problemsOf(section("""
                region = "Europe"
                endpoints { ec2 = "ftp://somewhere", dynamodb = "not a url" }
                credentials { role-arn = "kawari", external-id = "x" }
                """))).hasSize(5).anySatisfy(message -> assertThat(message).startsWith("kawari.aws.region"))
                .anySatisfy(message -> assertThat(message).startsWith("kawari.aws.endpoints.ec2"))
                .anySatisfy(message -> assertThat(message).startsWith("kawari.aws.endpoints.dynamodb"))
                .anySatisfy(message -> assertThat(message).startsWith("kawari.aws.credentials.role-arn"))
                .anySatisfy(message -> assertThat(message).startsWith("kawari.aws.credentials.external-id"));
    }

    @Test
    void anExternalIdWithoutARoleIsReported() {
        assertThat(AwsSettings.problemsOf(section("credentials.external-id = \"ext-42\"")))
                .singleElement().asString().contains("role-arn");
    }
}
