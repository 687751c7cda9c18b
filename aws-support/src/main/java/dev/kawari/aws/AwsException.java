package dev.kawari.aws;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.KawariException;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed AWS call, translated at the kit boundary: the IAM action that was called ({@code
 * ec2:ReplaceRoute}), AWS's own error code ({@code RequestLimitExceeded}) and the request id, all
 * of which are also in the message. Kits look at {@link #awsErrorCode()} for the few answers that
 * mean "already done" (an association that is already gone).
 */
public final class AwsException extends KawariException {
    private static final long serialVersionUID = 1L;

    private final String action;
    private final String awsErrorCode;
    private final String requestId;

    public AwsException(ErrorCode code, boolean retryable, String action, String awsErrorCode, String requestId,
            String message, Throwable cause) {
        super(code, retryable, message, cause);
        this.action = Objects.requireNonNull(action, "action");
        this.awsErrorCode = awsErrorCode;
        this.requestId = requestId;
    }

    /** The IAM action of the failed call, such as {@code ec2:ReplaceRoute}. */
    public String action() {
        return action;
    }

    /** AWS's error code ({@code InvalidRouteTableID.NotFound}), when AWS answered with one. */
    public Optional<String> awsErrorCode() {
        return Optional.ofNullable(awsErrorCode);
    }

    /** The request id AWS gave the call, for AWS support; empty when no answer came. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Whether AWS answered with exactly this error code. */
    public boolean is(String errorCode) {
        return errorCode.equals(awsErrorCode);
    }
}
