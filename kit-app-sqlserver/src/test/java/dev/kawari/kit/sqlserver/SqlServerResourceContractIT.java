package dev.kawari.kit.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kawari.spi.Resource;
import dev.kawari.testkit.KitConfigs;
import dev.kawari.testkit.ResourceContractTest;
import dev.kawari.testkit.SilentServer;
import dev.kawari.testkit.TestKitContext;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The resource TCK. The slow resource (a start command that sleeps) and the failing one (a start
 * command that exits 1) run everywhere. The working one is a real SQL Server in Docker, "stopped" by
 * {@code docker pause} and "started" by {@code docker unpause} (which keep its mapped port, unlike
 * stop and start); it is skipped, saying so, where Docker is absent.
 */
class SqlServerResourceContractIT extends ResourceContractTest {

    @Override
    protected void resetEnvironment() throws Exception {
        if (SqlServerDocker.available()) {
            docker("pause"); // never restored: SQL Server does not answer
        }
    }

    private static void docker(String verb) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", stateChange(verb)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Idempotent, as a start or stop command must be: pausing a paused container is not an error here. */
    private static String stateChange(String verb) {
        return "docker " + verb + " " + SqlServerDocker.container().getContainerId() + " >/dev/null 2>&1 || true";
    }

    @Override
    protected Resource newResource() {
        SqlServerDocker.assumeAvailable();
        try {
            Assumptions.assumeTrue(new ProcessBuilder("docker", "version").start().waitFor() == 0,
                    "the docker command is missing, so the container cannot be paused and unpaused");
        } catch (IOException | InterruptedException e) {
            Assumptions.abort("the docker command cannot be run: " + e);
        }
        return create("start = [sh, -c, \"" + stateChange("unpause") + "\"], stop = [sh, -c, \"" + stateChange("pause")
                + "\"], url = \"" + SqlServerDocker.url() + "\", user = sa, password-env = SQL_PASSWORD,"
                + " login-timeout = 2s, ready-timeout = 60s", SqlServerDocker.container().getPassword());
    }

    @Override
    protected Resource newSlowResource() {
        return create("start = [sleep, \"60\"], stop = [\"true\"], url = \"jdbc:sqlserver://127.0.0.1:" + closedPort()
                + "\", user = sa, password-env = SQL_PASSWORD, login-timeout = 1s", "unused");
    }

    @Override
    protected Resource newFailingResource() {
        return create("start = [\"false\"], stop = [\"true\"], url = \"jdbc:sqlserver://127.0.0.1:" + closedPort()
                + "\", user = sa, password-env = SQL_PASSWORD, login-timeout = 1s", "unused");
    }

    private static int closedPort() {
        try {
            return SilentServer.closedPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Resource create(String block, String password) {
        TestKitContext context = new TestKitContext();
        Resource resource = new SqlServerResourceType(Map.of("SQL_PASSWORD", password)::get)
                .create(KitConfigs.resource("sqlserver", block), context);
        assertThat(context.problems()).isEmpty();
        return resource;
    }
}
