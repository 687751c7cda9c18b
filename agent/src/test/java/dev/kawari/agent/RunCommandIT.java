package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kawari run} as a real process: restores, monitors, and on SIGTERM removes everything and exits 0. */
class RunCommandIT {
    @TempDir
    Path dir;

    @Test
    void sigtermRemovesEverythingTopDownAndExitsZero() throws Exception {
        Path data = dir.resolve("data");
        Path app = dir.resolve("app");
        Path events = dir.resolve("events.jsonl");
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, """
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  event-log = "%3$s"
                  services.files {
                    resources {
                      data { type = exec, start = [touch, "%1$s"], stop = [rm, -f, "%1$s"], check = [test, -e, "%1$s"] }
                      app { type = exec, depends-on = [data], start = [touch, "%2$s"], stop = [rm, -f, "%2$s"] }
                    }
                    monitors { app-file { type = exec, target = app, command = [test, -e, "%2$s"], interval = 200ms } }
                  }
                }
                """.formatted(data, app, events));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process agent = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Kawari.class.getName(), "run", file.toString(), "--node", "node-a"))
                .redirectError(dir.resolve("stderr.log").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("running"));
            assertThat(line).as("agent output; stderr: " + Files.readString(dir.resolve("stderr.log"))).isNotNull();
            assertThat(app).exists();
            // the first monitor tick comes one interval after "running", and the event log is written
            // asynchronously: wait for the healthy check to reach the file before stopping the agent
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!read(events).contains("\"outcome\":\"healthy\"") && System.nanoTime() < giveUp) {
                Thread.sleep(50);
            }

            agent.destroy(); // SIGTERM
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            agent.destroyForcibly();
        }

        assertThat(agent.exitValue()).isZero();
        assertThat(app).doesNotExist();
        assertThat(data).doesNotExist();
        List<String> log = Files.readAllLines(events);
        assertThat(log).anyMatch(l -> l.contains("\"kind\":\"CHECK\"") && l.contains("\"outcome\":\"healthy\""));
        int appRemoved = indexOf(log, "\"subject\":\"app\"", "\"outcome\":\"OUT_OF_SERVICE\"");
        int dataRemoved = indexOf(log, "\"subject\":\"data\"", "\"outcome\":\"OUT_OF_SERVICE\"");
        assertThat(appRemoved).isNotNegative().isLessThan(dataRemoved);
    }

    private static int indexOf(List<String> lines, String... parts) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (List.of(parts).stream().allMatch(line::contains)) {
                return i;
            }
        }
        return -1;
    }

    static String read(Path path) throws IOException {
        return Files.exists(path) ? Files.readString(path) : "";
    }
}
