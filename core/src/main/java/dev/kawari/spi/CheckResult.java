package dev.kawari.spi;

import java.util.Objects;

/**
 * The answer of a check: {@link Healthy}, {@link Unhealthy} or {@link Unknown}.
 *
 * <p>{@code Unknown} means "could not tell" (an API call was throttled, a dependency of the probe
 * timed out). It never counts toward a monitor's failure threshold and never causes a failover on
 * its own: a kit returns it whenever the evidence does not prove the resource is broken.
 */
public sealed interface CheckResult permits CheckResult.Healthy, CheckResult.Unhealthy, CheckResult.Unknown {

    /** The three answers, for {@code switch} statements. */
    enum Status {
        HEALTHY,
        UNHEALTHY,
        UNKNOWN
    }

    Status status();

    /** Why the check answered as it did; empty for {@link Healthy}. */
    String reason();

    static CheckResult healthy() {
        return Healthy.INSTANCE;
    }

    static CheckResult unhealthy(String reason) {
        return new Unhealthy(reason);
    }

    static CheckResult unknown(String reason) {
        return new Unknown(reason);
    }

    /** The resource is in service and working on this node. */
    record Healthy() implements CheckResult {
        private static final Healthy INSTANCE = new Healthy();

        @Override
        public Status status() {
            return Status.HEALTHY;
        }

        @Override
        public String reason() {
            return "";
        }
    }

    /** The check proved the resource is not in service or not working on this node. */
    record Unhealthy(String reason) implements CheckResult {
        public Unhealthy {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.UNHEALTHY;
        }
    }

    /** The check could not decide. */
    record Unknown(String reason) implements CheckResult {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.UNKNOWN;
        }
    }
}
