package dev.kawari.aws;

import dev.kawari.spi.Deadline;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Translates what the AWS SDK throws into {@link KawariException}s that say what to do about it:
 *
 * <ul>
 *   <li>throttling, server errors (5xx), timeouts and unreachable endpoints are retryable
 *       {@code EXTERNAL} failures: "could not tell" in a check, "try again" in an action;
 *   <li>authorization failures are {@code CONFIGURATION} errors naming the IAM action the node's role
 *       lacks;
 *   <li>other client errors (an unknown id, an invalid parameter) are {@code CONFIGURATION} errors;
 *   <li>a call cut short by the operation's deadline is a timeout; by an interrupt, an interrupt.
 * </ul>
 *
 * Every message names the IAM action and, when AWS answered, its error code and request id.
 */
public final class AwsFailures {
    private static final Set<String> THROTTLING = Set.of(
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
            "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
            "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException");
    private static final Set<String> UNAVAILABLE = Set.of(
            "InternalError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "Unavailable",
            "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException");
    private static final Set<String> ACCESS_DENIED = Set.of(
            "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "AuthFailure",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException",
            "MissingAuthenticationToken", "OptInRequired", "Blocked");
    private static final Set<String> EXPIRED_CREDENTIALS = Set.of(
            "ExpiredToken", "ExpiredTokenException", "RequestExpired");

    private AwsFailures() {
    }

    /**
     * The {@link KawariException} for {@code failure}, thrown by the call of IAM action {@code action}
     * made under {@code deadline}.
     */
    public static KawariException classify(String action, Throwable failure, Deadline deadline) {
        if (failure instanceof KawariException kawari) {
            return kawari;
        }
        if (failure instanceof AwsServiceException service) {
            return fromService(action, service);
        }
        if (failure instanceof AbortedException || failure instanceof InterruptedException
                || hasCause(failure, InterruptedException.class) || hasCause(failure, InterruptedIOException.class)
                        && Thread.currentThread().isInterrupted()) {
            return KawariException.interrupted(action + " was interrupted",
                    failure instanceof InterruptedException interrupted ? interrupted : new InterruptedException());
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            if (deadline.expired()) {
                return KawariException.timedOut("the deadline of " + deadline.budget() + " passed during " + action);
            }
            return new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, action, null, null,
                    action + " got no answer in time: " + failure.getMessage(), failure);
        }
        if (failure instanceof SdkClientException client) {
            String message = String.valueOf(client.getMessage());
            if (message.contains("Unable to load credentials") || message.contains("credentials")
                    && message.contains("Unable to")) {
                return new AwsException(AwsErrorCodes.AWS_CREDENTIALS_UNAVAILABLE, true, action, null, null,
                        "no AWS credentials for " + action + ": " + firstLine(message)
                                + " (the instance profile, a named profile in kawari.aws.credentials.profile, or"
                                + " the environment must provide them)", client);
            }
            return new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, action, null, null,
                    action + " could not reach AWS: " + firstLine(message), client);
        }
        if (failure instanceof IOException io) {
            return new AwsException(AwsErrorCodes.AWS_UNREACHABLE, true, action, null, null,
                    action + " could not reach AWS: " + io, io);
        }
        return new KawariException(dev.kawari.spi.ErrorCode.KIT_FAILURE, false,
                action + " failed unexpectedly: " + failure, failure);
    }

    private static AwsException fromService(String action, AwsServiceException service) {
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        String awsMessage = service.awsErrorDetails() == null ? service.getMessage()
                : service.awsErrorDetails().errorMessage();
        String requestId = service.requestId();
        int status = service.statusCode();
        String facts = " (" + (code == null ? "HTTP " + status : code) + (requestId == null ? "" : ", request id "
                + requestId) + ")" + (awsMessage == null || awsMessage.isBlank() ? "" : ": " + firstLine(awsMessage));
        ErrorCode kind;
        boolean retryable;
        String message;
        if (code != null && THROTTLING.contains(code) || status == 429 || service.isThrottlingException()) {
            kind = AwsErrorCodes.AWS_THROTTLED;
            retryable = true;
            message = action + " was throttled by AWS" + facts;
        } else if (code != null && EXPIRED_CREDENTIALS.contains(code)) {
            kind = AwsErrorCodes.AWS_CREDENTIALS_UNAVAILABLE;
            retryable = true;
            message = action + " was refused because the credentials expired" + facts;
        } else if (code != null && ACCESS_DENIED.contains(code) || status == 403) {
            kind = AwsErrorCodes.AWS_ACCESS_DENIED;
            retryable = false;
            message = action + " is not allowed for this node's role" + facts
                    + "; add it to the role's policy (kawari iam-policy FILE prints the policy Kawari needs)";
        } else if (code != null && UNAVAILABLE.contains(code) || status >= 500) {
            kind = AwsErrorCodes.AWS_UNAVAILABLE;
            retryable = true;
            message = action + " failed on the AWS side" + facts;
        } else {
            kind = AwsErrorCodes.AWS_REQUEST_REJECTED;
            retryable = false;
            message = action + " was rejected by AWS" + facts;
        }
        return new AwsException(kind, retryable, action, code, requestId, message, service);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
