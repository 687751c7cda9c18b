package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kawari run} in a cluster as a real process: the admin endpoint, its token file, and the CLI reading it. */
class AdminEndpointIT {
    @TempDir
    Path dir;

    @Test
    void statusNeedsTheTokenFromAnOwnerOnlyFileAndTheEndpointListensOnLoopbackOnly() throws Exception {
        Path marker = dir.resolve("marker");
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  nodes { node-a { priority = 1 }, node-b { priority = 2 } }
                  coordinator { type = embedded, directory = "%s", lease-duration = 2s, safety-margin = 500ms,
                                renew-interval = 300ms, poll-interval = 200ms }
                  services.files.resources {
                    m { type = exec, start = [touch, "%s"], stop = [rm, -f, "%2$s"], check = [test, -e, "%2$s"] }
                  }
                }
                """.formatted(dir.resolve("coordinator"), marker));
        Path state = dir.resolve("state");
        assertThat(KawariCommandTest.kawari("coordinator", "create-table", file.toString()).out())
                .contains("created directory");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                Kawari.class.getName(), "run", file.toString(), "--node", "node-a", "--state-dir", state.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
        try {
            Path admin = state.resolve("node-a.admin");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(marker).as(Files.readString(dir.resolve("agent.out"))).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin))).isEqualTo("rw-------");

            KawariCommandTest.Run status = KawariCommandTest.kawari("status", "--state-dir", state.toString());
            assertThat(status.code()).as(status.err()).isZero();
            assertThat(status.out()).contains("service files: holder node-a, epoch 1; here: active, IN_SERVICE")
                    .containsPattern("node-b +(NO +never|\\? +watching)");
            // node-b never started: once node-a has watched it for a whole lease, it is shown dead
            long watched = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String seen = status.out();
            while (!seen.matches("(?s).*node-b +NO +never.*") && System.nanoTime() < watched) {
                Thread.sleep(200);
                seen = KawariCommandTest.kawari("status", "--state-dir", state.toString()).out();
            }
            assertThat(seen).containsPattern("node-b +NO +never");
            assertThat(KawariCommandTest.kawari("status", "--json", "--state-dir", state.toString()).out())
                    .contains("\"holder\" : \"node-a\"");

            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(admin)) {
                properties.load(reader);
            }
            int port = Integer.parseInt(properties.getProperty("port"));
            HttpClient http = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build();
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> wrongToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/status")).header("Authorization", "Bearer 00").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongToken.statusCode()).isEqualTo(401);
            // The listening socket (state 0A) on that port is bound to 127.0.0.1 (IPv4, or IPv4-mapped IPv6).
            String listening = Files.readString(Path.of("/proc/net/tcp")) + Files.readString(Path.of("/proc/net/tcp6"));
            String hexPort = String.format(":%04X", port);
            assertThat(listening.lines().map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")))
                    .isNotEmpty()
                    .allMatch(f -> f[1].equals("0100007F" + hexPort)
                            || f[1].equals("0000000000000000FFFF00000100007F" + hexPort));

            KawariCommandTest.Run maintenance = KawariCommandTest.kawari("maintenance", "files", "on",
                    "--state-dir", state.toString());
            assertThat(maintenance.code()).as(maintenance.err()).isZero();
            assertThat(KawariCommandTest.kawari("status", "--state-dir", state.toString()).out())
                    .contains("MAINTENANCE");

            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).isZero();
            assertThat(marker).doesNotExist();
            assertThat(admin).doesNotExist();
        } finally {
            agent.destroyForcibly();
        }
    }
}
