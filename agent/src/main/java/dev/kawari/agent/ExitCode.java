package dev.kawari.agent;

/** The exit codes of every {@code kawari} command. Scripts and cluster adapters rely on them. */
public final class ExitCode {
    /** Success, or healthy. */
    public static final int OK = 0;
    /** The action failed, or the check found something unhealthy. */
    public static final int FAILED = 1;
    /** Bad usage or an invalid configuration; nothing was done. */
    public static final int USAGE = 2;
    /** A check could not tell (an API was throttled, a probe could not decide). */
    public static final int UNKNOWN = 3;

    private ExitCode() {
    }
}
