package dev.kawari.aws;

import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;

/** The error codes of AWS kits. Operators search for them; a code never changes its meaning. */
public final class AwsErrorCodes {
    /** AWS refused the call because of its request rate (RequestLimitExceeded, Throttling, HTTP 429). */
    public static final ErrorCode AWS_THROTTLED = new ErrorCode("AWS_THROTTLED", ErrorType.EXTERNAL);
    /** AWS answered with a server error (HTTP 5xx, InternalError, Unavailable). */
    public static final ErrorCode AWS_UNAVAILABLE = new ErrorCode("AWS_UNAVAILABLE", ErrorType.EXTERNAL);
    /** The endpoint could not be reached, or did not answer within the call's time. */
    public static final ErrorCode AWS_UNREACHABLE = new ErrorCode("AWS_UNREACHABLE", ErrorType.EXTERNAL);
    /** No credentials could be found or assumed. */
    public static final ErrorCode AWS_CREDENTIALS_UNAVAILABLE =
            new ErrorCode("AWS_CREDENTIALS_UNAVAILABLE", ErrorType.EXTERNAL);
    /** The node's identity may not call the operation: its IAM policy lacks the action. */
    public static final ErrorCode AWS_ACCESS_DENIED = new ErrorCode("AWS_ACCESS_DENIED", ErrorType.CONFIGURATION);
    /** AWS rejected the request as invalid (an unknown id, a bad parameter): the configuration names something wrong. */
    public static final ErrorCode AWS_REQUEST_REJECTED = new ErrorCode("AWS_REQUEST_REJECTED", ErrorType.CONFIGURATION);
    /** This node's instance id, ENI, region or interface is neither configured nor discoverable through IMDSv2. */
    public static final ErrorCode NODE_IDENTITY_UNKNOWN = new ErrorCode("NODE_IDENTITY_UNKNOWN", ErrorType.CONFIGURATION);
    /** Adding, deleting or listing an address on a local interface with {@code ip} failed. */
    public static final ErrorCode LOCAL_ADDRESS_FAILED = new ErrorCode("LOCAL_ADDRESS_FAILED", ErrorType.EXTERNAL);
    /** A command a kit runs on this host (an operator's {@code up-command}, for example) could not run or failed. */
    public static final ErrorCode LOCAL_COMMAND_FAILED = new ErrorCode("LOCAL_COMMAND_FAILED", ErrorType.EXTERNAL);
    /** A change was accepted by AWS but reading it back showed something else. */
    public static final ErrorCode AWS_CHANGE_NOT_VISIBLE = new ErrorCode("AWS_CHANGE_NOT_VISIBLE", ErrorType.EXTERNAL);

    private AwsErrorCodes() {
    }
}
