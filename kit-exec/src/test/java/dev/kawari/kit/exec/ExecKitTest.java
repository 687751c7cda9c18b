package dev.kawari.kit.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.kawari.spi.MonitorType;
import dev.kawari.spi.RecoveryKit;
import dev.kawari.spi.ResourceType;
import dev.kawari.testkit.KitConfigs;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ExecKitTest {

    @Test
    void theServiceLoaderFindsTheKit() {
        assertThat(ServiceLoader.load(RecoveryKit.class).stream().map(ServiceLoader.Provider::type))
                .contains(ExecKit.class);
    }

    @Test
    void theKitContributesTheExecTypes() {
        ExecKit kit = new ExecKit();

        assertThat(kit.name()).isEqualTo("exec");
        assertThat(kit.resourceTypes()).extracting(ResourceType::id).containsExactly("exec");
        assertThat(kit.monitorTypes()).extracting(MonitorType::id).containsExactly("exec");
    }

    @Test
    void theReferenceDeclaresTheDocumentedResourceKeys() {
        Config reference = KitConfigs.resourceReference("exec");

        assertThat(reference.root().keySet())
                .containsExactlyInAnyOrder("start", "stop", "check", "timeouts", "environment", "directory");
        assertThat(reference.getIsNull("start")).isTrue();
        assertThat(reference.getDuration("timeouts.start")).isEqualTo(Duration.ofSeconds(60));
        assertThat(reference.getDuration("timeouts.stop")).isEqualTo(Duration.ofSeconds(60));
        assertThat(reference.getDuration("timeouts.check")).isEqualTo(Duration.ofSeconds(10));
        assertThat(reference.getObject("environment")).isEmpty();
    }

    @Test
    void theReferenceDeclaresTheDocumentedMonitorKeys() {
        assertThat(KitConfigs.monitorReference("exec").root().keySet())
                .containsExactlyInAnyOrder("command", "environment", "directory");
    }
}
