package dev.kawari.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceCheckMonitorTypeTest {
    private final List<String> problems = new ArrayList<>();
    private final ResourceCheckMonitorType<Lamp> type =
            new ResourceCheckMonitorType<>("lamp", Lamp.class, "watches a lamp", Set.of("lamp:Look"));

    /** A resource whose check says what {@code lit} says. */
    private static final class Lamp implements Resource {
        boolean lit;

        @Override
        public void restore(OperationContext context) {
            lit = true;
        }

        @Override
        public void remove(OperationContext context) {
            lit = false;
        }

        @Override
        public CheckResult check(OperationContext context) {
            return lit ? CheckResult.healthy() : CheckResult.unhealthy("dark");
        }

        @Override
        public String toString() {
            return "a lamp";
        }
    }

    private Monitor create(Map<String, Resource> resources) {
        KitContext context = new KitContext() {
            @Override
            public String cluster() {
                return "test";
            }

            @Override
            public Map<String, NodeIdentity> nodes() {
                return Map.of();
            }

            @Override
            public Optional<Resource> resource(String id) {
                return Optional.ofNullable(resources.get(id));
            }

            @Override
            public void problem(String key, String message) {
                problems.add(key + ": " + message);
            }
        };
        return type.create(new MonitorDefinition("s", "m", "lamp", "target", ConfigFactory.empty()), context);
    }

    @Test
    void theMonitorAnswersWithTheTargetsOwnCheck() throws InterruptedException {
        Lamp lamp = new Lamp();
        Monitor monitor = create(Map.of("target", lamp));

        assertThat(monitor.check(null).status()).isEqualTo(CheckResult.Status.UNHEALTHY);
        lamp.lit = true;
        assertThat(monitor.check(null).status()).isEqualTo(CheckResult.Status.HEALTHY);
        assertThat(problems).isEmpty();
        assertThat(type.iamActions(ConfigFactory.empty())).containsExactly("lamp:Look");
    }

    @Test
    void aTargetOfAnotherKitIsAProblemOnTarget() {
        Resource other = new Resource() {
            @Override
            public void restore(OperationContext context) {
            }

            @Override
            public void remove(OperationContext context) {
            }

            @Override
            public CheckResult check(OperationContext context) {
                return CheckResult.healthy();
            }

            @Override
            public String toString() {
                return "an exec resource";
            }
        };

        assertThat(create(Map.of("target", other))).isNull();
        assertThat(problems).containsExactly("target: monitor type lamp watches lamp resources, but 'target' is an exec"
                + " resource; use the monitor type of that resource's kit");
    }

    @Test
    void aMissingTargetIsAProblemOnTarget() {
        assertThat(create(Map.of())).isNull();
        assertThat(problems).singleElement().asString().startsWith("target: monitor type lamp needs a valid lamp resource");
    }
}
