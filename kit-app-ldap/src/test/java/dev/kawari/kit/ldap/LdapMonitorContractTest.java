package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Monitor;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.MonitorContractTest;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The monitor TCK: healthy against the in-memory server, unhealthy at a closed port, hanging at a silent server. */
class LdapMonitorContractTest extends MonitorContractTest {
    @TempDir
    static Path shared;
    static InMemoryDirectory directory;
    private SilentServer silent;

    @BeforeAll
    static void startDirectory() throws Exception {
        directory = new InMemoryDirectory(shared);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @AfterEach
    void stopSilentServer() throws IOException {
        if (silent != null) {
            silent.close();
        }
    }

    @Override
    protected Monitor newHealthyMonitor() {
        return create("url = \"" + directory.ldapUrl() + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX + "\"]");
    }

    @Override
    protected Monitor newUnhealthyMonitor() {
        try {
            return create("url = \"ldap://127.0.0.1:" + SilentServer.closedPort() + "\"");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Monitor newHangingMonitor() {
        try {
            silent = new SilentServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return create("url = \"ldap://127.0.0.1:" + silent.port() + "\", base-dns = [\"" + InMemoryDirectory.SUFFIX
                + "\"]");
    }

    private static Monitor create(String block) {
        TestKitContext context = new TestKitContext();
        Monitor monitor = new LdapMonitorType().create(KitConfigs.monitor("ldap", block), context);
        assertThat(context.problems()).isEmpty();
        return monitor;
    }
}
