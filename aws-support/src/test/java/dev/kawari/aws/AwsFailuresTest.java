package dev.kawari.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What each kind of AWS failure becomes: retryable "could not tell", or a configuration error. */
class AwsFailuresTest {
    private final FakeClock clock = new FakeClock();
    private final Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);

    private static AwsServiceException answer(int status, String code, String message) {
        return AwsServiceException.builder()
                .statusCode(status)
                .requestId("req-123")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build();
    }

    @Test
    void throttlingIsRetryableAndKeepsCodeAndRequestId() {
        KawariException failure = AwsFailures.classify("ec2:DescribeRouteTables",
                answer(503, "RequestLimitExceeded", "Request limit exceeded."), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.type()).isEqualTo(ErrorType.EXTERNAL);
        assertThat(failure.getMessage()).contains("ec2:DescribeRouteTables").contains("RequestLimitExceeded")
                .contains("request id req-123");
        assertThat(((AwsException) failure).is("RequestLimitExceeded")).isTrue();
    }

    @Test
    void http429AndOtherThrottlingCodesAreThrottling() {
        assertThat(AwsFailures.classify("route53:ChangeResourceRecordSets", answer(400, "Throttling", "Rate exceeded"),
                deadline).code()).isEqualTo(AwsErrorCodes.AWS_THROTTLED);
        assertThat(AwsFailures.classify("ec2:X", answer(429, "Whatever", ""), deadline).code())
                .isEqualTo(AwsErrorCodes.AWS_THROTTLED);
    }

    @Test
    void serverErrorsAreRetryable() {
        KawariException failure = AwsFailures.classify("ec2:ReplaceRoute", answer(500, "InternalError", "oops"), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_UNAVAILABLE);
        assertThat(failure.retryable()).isTrue();
        assertThat(AwsFailures.classify("ec2:ReplaceRoute", answer(503, "Unavailable", ""), deadline).retryable()).isTrue();
    }

    @Test
    void accessDeniedIsAConfigurationErrorNamingTheIamAction() {
        KawariException failure = AwsFailures.classify("ec2:ReplaceRoute",
                answer(403, "UnauthorizedOperation", "You are not authorized to perform this operation."), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_ACCESS_DENIED);
        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).startsWith("ec2:ReplaceRoute is not allowed for this node's role")
                .contains("kawari iam-policy");
    }

    @Test
    void anUnknownIdIsAConfigurationError() {
        KawariException failure = AwsFailures.classify("ec2:DescribeRouteTables",
                answer(400, "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-1' does not exist"), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_REQUEST_REJECTED);
        assertThat(failure.type()).isEqualTo(ErrorType.CONFIGURATION);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("rtb-1");
    }

    @Test
    void aCallTimeoutIsRetryableUntilTheDeadlineHasPassed() {
        ApiCallTimeoutException timeout = ApiCallTimeoutException.builder().message("too slow").build();

        KawariException early = AwsFailures.classify("ec2:DescribeAddresses", timeout, deadline);
        clock.advance(Duration.ofSeconds(11));
        KawariException late = AwsFailures.classify("ec2:DescribeAddresses", timeout, deadline);

        assertThat(early.code()).isEqualTo(AwsErrorCodes.AWS_UNREACHABLE);
        assertThat(early.retryable()).isTrue();
        assertThat(late.type()).isEqualTo(ErrorType.TIMEOUT);
    }

    @Test
    void missingCredentialsSayWhereTheyComeFrom() {
        KawariException failure = AwsFailures.classify("ec2:DescribeAddresses", SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_CREDENTIALS_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("instance profile");
    }

    @Test
    void anUnreachableEndpointIsRetryable() {
        KawariException failure = AwsFailures.classify("ec2:DescribeAddresses", SdkClientException.create(
                "Unable to execute HTTP request: Connection refused"), deadline);

        assertThat(failure.code()).isEqualTo(AwsErrorCodes.AWS_UNREACHABLE);
        assertThat(failure.retryable()).isTrue();
    }
}
