package dev.kawari.spi;

/** What kind of failure an {@link ErrorCode} describes; decides how the engine reacts to it. */
public enum ErrorType {
    /** The configuration is wrong (bad value, missing permission): retrying or failing over will not help. */
    CONFIGURATION,
    /** Something outside Kawari failed or refused (a command, an API, a server). */
    EXTERNAL,
    /** The action ran out of time: its deadline passed. */
    TIMEOUT,
    /** A bug in Kawari or in a kit. */
    INTERNAL
}
