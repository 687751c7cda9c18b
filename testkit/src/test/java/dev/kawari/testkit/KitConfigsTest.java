package dev.kawari.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kawari.spi.MonitorDefinition;
import dev.kawari.spi.ResourceDefinition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Uses the {@code sample} types declared in this module's test {@code reference.conf}. */
class KitConfigsTest {

    @Test
    void resourceBlocksGetTheDeclaredDefaults() {
        ResourceDefinition definition = KitConfigs.resource("sample", "command = [run], timeouts.start = 1s");

        assertThat(definition.service()).isEqualTo("svc");
        assertThat(definition.id()).isEqualTo("res");
        assertThat(definition.type()).isEqualTo("sample");
        assertThat(definition.config().getStringList("command")).containsExactly("run");
        assertThat(definition.config().getDuration("timeouts.start")).isEqualTo(Duration.ofSeconds(1));
        assertThat(definition.config().getDuration("timeouts.stop")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aKeyDeclaredNullIsKnownButAbsent() {
        ResourceDefinition definition = KitConfigs.resource("sample", "");

        assertThat(definition.config().hasPath("command")).isFalse();
    }

    @Test
    void unknownKeysAreRejectedAsTheEngineWould() {
        assertThatThrownBy(() -> KitConfigs.resource("sample", "comand = [run]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("comand");
        assertThatThrownBy(() -> KitConfigs.resource("sample", "timeouts.strat = 1s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeouts.strat");
    }

    @Test
    void anOpenMapAcceptsAnyKey() {
        ResourceDefinition definition = KitConfigs.resource("sample", "environment { ANY_NAME = x }");

        assertThat(definition.config().getString("environment.ANY_NAME")).isEqualTo("x");
    }

    @Test
    void aTypeWithoutDeclarationAcceptsNoKeys() {
        assertThat(KitConfigs.resourceReference("undeclared").isEmpty()).isTrue();
        assertThatThrownBy(() -> KitConfigs.resource("undeclared", "x = 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kawari-kits.resource-types.undeclared");
    }

    @Test
    void monitorBlocksTargetTheResource() {
        MonitorDefinition definition = KitConfigs.monitor("sample-probe", "");

        assertThat(definition.id()).isEqualTo("mon");
        assertThat(definition.target()).isEqualTo("res");
        assertThat(definition.config().getString("path")).isEqualTo("/health");
    }
}
