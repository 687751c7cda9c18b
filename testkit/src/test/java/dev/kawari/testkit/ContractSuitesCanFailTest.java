package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.Resource;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract suites fail for kits that break a contract: each broken variant of {@link SwitchKit}
 * below is run through JUnit, and exactly the tests of the broken contract must fail.
 */
class ContractSuitesCanFailTest {

    @Test
    void removeThatFailsWhenNeverRestoredFailsTheNoOpContract() {
        // The suite's own clean-up removes every resource, so every test that never restores fails too.
        assertThat(failedTests(RemoveFailsWhenNeverRestored.class))
                .contains("removeOfNeverRestoredResourceIsNoOp", "checkBeforeRestoreIsNotHealthy")
                .doesNotContain("restoreThenCheckIsHealthy", "restoreTwiceIsIdempotent");
    }

    @Test
    void checkThatRestoresFailsTheContractsOfChecks() {
        assertThat(failedTests(CheckRestores.class))
                .contains("checkChangesNothing", "checkBeforeRestoreIsNotHealthy");
    }

    @Test
    void restoreThatIgnoresNoDeadlineButIsNotSlowFailsTheDeadlineContract() {
        assertThat(failedTests(SlowResourceIsNotSlow.class))
                .containsExactlyInAnyOrder("restoreHonoursTheDeadline", "restoreHonoursInterrupts");
    }

    @Test
    void interruptThatLosesTheFlagFailsTheInterruptContract() {
        assertThat(failedTests(InterruptFlagLost.class)).containsExactlyInAnyOrder("restoreHonoursInterrupts");
    }

    @Test
    void failureWithoutAnErrorCodeFailsTheErrorCodeContract() {
        assertThat(failedTests(FailsWithoutAnErrorCode.class)).containsExactlyInAnyOrder("failuresCarryAnErrorCode");
    }

    @Test
    void restoreThatCannotBeUndoneFailsTheRemoveContracts() {
        assertThat(failedTests(RemoveDoesNothing.class))
                .containsExactlyInAnyOrder("removeAfterRestoreMakesCheckNotHealthy", "removeTwiceIsIdempotent");
    }

    @Test
    void unhealthyWithoutAReasonFailsTheMonitorContract() {
        assertThat(failedTests(UnhealthyWithoutAReason.class))
                .containsExactlyInAnyOrder("unhealthyMonitorReportsUnhealthyWithAReason");
    }

    @Test
    void hangingCheckThatSaysHealthyFailsTheMonitorDeadlineContract() {
        assertThat(failedTests(HealthyPastTheDeadline.class))
                .containsExactlyInAnyOrder("hangingMonitorHonoursTheDeadline");
    }

    @Test
    void correctKitsPassEveryContract() {
        assertThat(failedTests(SwitchResourceContractTest.class)).isEmpty();
        assertThat(failedTests(SwitchMonitorContractTest.class)).isEmpty();
    }

    /** The names of the test methods of {@code suite} that did not succeed, with why, when run through JUnit. */
    private static Set<String> failedTests(Class<?> suite) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                .ifPresent(method -> results.put(method.getMethodName(), result));
                    }
                });
        assertThat(results).as("tests run in %s", suite.getSimpleName()).isNotEmpty();
        return results.entrySet().stream()
                .filter(entry -> entry.getValue().getStatus() != TestExecutionResult.Status.SUCCESSFUL)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    static class RemoveFailsWhenNeverRestored extends SwitchResourceContractTest {
        private final AtomicBoolean everRestored = new AtomicBoolean();

        @Override
        protected Resource newResource() {
            return new SwitchKit.Switch(on) {
                @Override
                public void restore(OperationContext context) {
                    everRestored.set(true);
                    super.restore(context);
                }

                @Override
                public void remove(OperationContext context) {
                    if (!everRestored.get()) {
                        throw new IllegalStateException("never restored");
                    }
                    super.remove(context);
                }
            };
        }
    }

    static class CheckRestores extends SwitchResourceContractTest {
        @Override
        protected Resource newResource() {
            return new SwitchKit.Switch(on) {
                @Override
                public CheckResult check(OperationContext context) {
                    CheckResult answer = super.check(context);
                    on.set(true);
                    return answer.status() == CheckResult.Status.HEALTHY ? answer : CheckResult.healthy();
                }
            };
        }
    }

    static class SlowResourceIsNotSlow extends SwitchResourceContractTest {
        @Override
        protected Resource newSlowResource() {
            return new SwitchKit.Switch(on);
        }
    }

    static class InterruptFlagLost extends SwitchResourceContractTest {
        @Override
        protected Resource newSlowResource() {
            return new SwitchKit.SlowSwitch(on) {
                @Override
                public void restore(OperationContext context) {
                    try {
                        super.restore(context);
                    } catch (KawariException e) {
                        Thread.interrupted(); // the bug under test: the flag is cleared
                        throw e;
                    }
                }
            };
        }
    }

    static class FailsWithoutAnErrorCode extends SwitchResourceContractTest {
        @Override
        protected Resource newFailingResource() {
            return new SwitchKit.Switch(on) {
                @Override
                public void restore(OperationContext context) {
                    throw new IllegalStateException("the switch is broken");
                }
            };
        }
    }

    static class RemoveDoesNothing extends SwitchResourceContractTest {
        @Override
        protected Resource newResource() {
            return new SwitchKit.Switch(on) {
                @Override
                public void remove(OperationContext context) {
                }
            };
        }
    }

    static class UnhealthyWithoutAReason extends SwitchMonitorContractTest {
        @Override
        protected Monitor newUnhealthyMonitor() {
            return context -> CheckResult.unhealthy(" ");
        }
    }

    static class HealthyPastTheDeadline extends SwitchMonitorContractTest {
        @Override
        protected Monitor newHangingMonitor() {
            return context -> {
                CheckResult answer = new SwitchKit.HangingProbe().check(context);
                return answer.status() == CheckResult.Status.UNKNOWN ? CheckResult.healthy() : answer;
            };
        }
    }
}
