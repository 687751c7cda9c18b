package dev.kawari.kit.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.ResourceContractTest;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource TCK against a real OpenLDAP slapd, started and stopped by the {@code ldap-server}
 * resource itself; a fresh server (configuration, data, port) for every test.
 */
class LdapServerResourceContractIT extends ResourceContractTest {
    @TempDir
    Path dir;
    private Slapd slapd;

    @Override
    protected void resetEnvironment() throws Exception {
        slapd = new Slapd(dir.resolve("slapd"));
    }

    @AfterEach
    void leaveNoSlapdBehind() throws Exception {
        // Runs before the TCK removes what it created; remove is idempotent, so stopping here is harmless.
        if (slapd != null) {
            slapd.close();
        }
    }

    @Override
    protected Resource newResource() {
        return create(slapd.startCommand(), slapd.stopCommand(), slapd.url());
    }

    @Override
    protected Resource newSlowResource() {
        return create(List.of("sleep", "60"), List.of("true"), closedUrl());
    }

    @Override
    protected Resource newFailingResource() {
        // slapd itself, refusing a broken configuration: it exits 1 and never answers.
        Path broken = dir.resolve("broken.conf");
        try {
            Files.writeString(broken, "database mdb\nsuffix \"dc=example,dc=com\"\nno-such-directive here\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> start = List.of(slapd.startCommand().get(0), "-h", closedUrl() + "/", "-f", broken.toString());
        return create(start, List.of("true"), closedUrl());
    }

    private static String closedUrl() {
        try {
            return "ldap://127.0.0.1:" + SilentServer.closedPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resource create(List<String> start, List<String> stop, String url) {
        TestKitContext context = new TestKitContext();
        Resource resource = new LdapServerResourceType().create(KitConfigs.resource("ldap-server",
                "start = " + vector(start) + ", stop = " + vector(stop) + ", url = \"" + url + "\", ready-timeout = 20s"),
                context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }

    static String vector(List<String> argv) {
        return argv.stream().map(arg -> "\"" + arg + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
