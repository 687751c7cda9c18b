package dev.kawari.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kawari command in-process: exit codes and what it prints. */
class KawariCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run kawari(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Kawari.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path config(String body) throws IOException {
        Path file = dir.resolve("kawari.conf");
        Files.writeString(file, body);
        return file;
    }

    /** A service of two exec resources whose "in service" is a file existing. */
    private Path fileService() throws IOException {
        Path data = dir.resolve("data");
        Path app = dir.resolve("app");
        return config("""
                kawari {
                  cluster = test
                  nodes { node-a { priority = 1 } }
                  services {
                    files {
                      resources {
                        data { type = exec, start = [touch, "%1$s"], stop = [rm, -f, "%1$s"], check = [test, -e, "%1$s"] }
                        app {
                          type = exec
                          depends-on = [data]
                          start = [touch, "%2$s"]
                          stop = [rm, -f, "%2$s"]
                          check = [test, -e, "%2$s"]
                        }
                      }
                      monitors {
                        app-file { type = exec, target = app, command = [test, -e, "%2$s"] }
                      }
                    }
                  }
                }
                """.formatted(data, app));
    }

    @Test
    void kitsListsTheExecResourceAndMonitorTypes() {
        Run run = kawari("kits");

        assertThat(run.code()).isZero();
        assertThat(run.out().lines()).anyMatch(line -> line.matches("resource\\s+exec\\s.*"))
                .anyMatch(line -> line.matches("monitor\\s+exec\\s.*"));
    }

    @Test
    void kitsListsTheApplicationKitTypes() {
        Run run = kawari("kits");

        assertThat(run.out().lines())
                .anyMatch(line -> line.matches("resource\\s+ldap-server\\s.*"))
                .anyMatch(line -> line.matches("monitor\\s+ldap\\s.*"))
                .anyMatch(line -> line.matches("resource\\s+sqlserver\\s.*"))
                .anyMatch(line -> line.matches("monitor\\s+sqlserver\\s.*"));
    }

    @Test
    void kitsListsTheAwsKitTypes() {
        Run run = kawari("kits");

        for (String type : new String[] {"ec2-route-table", "ec2-eip", "secondary-ip", "eni", "route53"}) {
            assertThat(run.out().lines()).as(type)
                    .anyMatch(line -> line.matches("resource\\s+" + type + "\\s.*"))
                    .anyMatch(line -> line.matches("monitor\\s+" + type + "\\s.*"));
        }
        assertThat(run.out().lines()).anyMatch(line -> line.matches("resource\\s+route53\\s.*Route 53.*"));
    }

    @Test
    void validatePrintsOneLinePerServiceAndExitsZero() throws IOException {
        Path file = fileService();

        Run run = kawari("validate", file.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("service files: 2 resource(s), 1 monitor(s); restore order [data] -> [app]");
    }

    @Test
    void validateReportsFileAndLineAndExitsTwo() throws IOException {
        Path file = config("""
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.s.resources.r { type = exce, start = [true], stop = [true] }
                }
                """);

        Run run = kawari("validate", file.toString());

        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(file + ":4: ").contains("did you mean 'exec'");
    }

    @Test
    void restoreCheckAndRemoveOneShot() throws IOException {
        Path file = fileService();
        String[] where = {"--config", file.toString(), "--node", "node-a"};

        assertThat(kawari(concat("check", "files", where)).code()).isEqualTo(ExitCode.FAILED);

        Run restored = kawari(concat("restore", "files", where));
        assertThat(restored.code()).as(restored.out() + restored.err()).isZero();
        assertThat(dir.resolve("data")).exists();
        assertThat(dir.resolve("app")).exists();

        Run checked = kawari(concat("check", "files", where));
        assertThat(checked.code()).isZero();
        assertThat(checked.out()).contains("files/app: healthy", "files/monitor:app-file: healthy");

        Run removed = kawari(concat("remove", "files/data", where));
        assertThat(removed.code()).isZero();
        assertThat(dir.resolve("app")).doesNotExist();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void restoreOfOneResourceBringsWhatItNeeds() throws IOException {
        Path file = fileService();

        Run run = kawari("restore", "files/data", "--config", file.toString(), "--node", "node-a");

        assertThat(run.code()).isZero();
        assertThat(dir.resolve("data")).exists();
        assertThat(dir.resolve("app")).doesNotExist();
    }

    @Test
    void failedRestoreExitsOneAndRollsBack() throws IOException {
        Path data = dir.resolve("data");
        Path file = config("""
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.s.resources {
                    data { type = exec, start = [touch, "%1$s"], stop = [rm, -f, "%1$s"] }
                    app { type = exec, depends-on = data, start = [false], stop = [true] }
                  }
                }
                """.formatted(data));

        Run run = kawari("restore", "s", "--config", file.toString(), "--node", "node-a");

        assertThat(run.code()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out()).contains("EXEC_COMMAND_FAILED").contains("rolled back");
        assertThat(data).doesNotExist();
    }

    @Test
    void unknownServiceOrNodeIsUsageErrorWithSuggestion() throws IOException {
        Path file = fileService();

        Run service = kawari("check", "flies", "--config", file.toString(), "--node", "node-a");
        Run node = kawari("check", "files", "--config", file.toString(), "--node", "node-b");

        assertThat(service.code()).isEqualTo(ExitCode.USAGE);
        assertThat(service.err()).contains("no service 'flies'").contains("did you mean 'files'");
        assertThat(node.code()).isEqualTo(ExitCode.USAGE);
        assertThat(node.err()).contains("no node 'node-b'").contains("did you mean 'node-a'");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(kawari("restore", "files").code()).isEqualTo(ExitCode.USAGE);
        assertThat(kawari("no-such-command").code()).isEqualTo(ExitCode.USAGE);
        assertThat(kawari().code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void invalidConfigurationRunsNothing() throws IOException {
        Path marker = dir.resolve("marker");
        Path file = config("""
                kawari {
                  cluster = test
                  nodes { node-a {} }
                  services.s {
                    resources { r { type = exec, start = [touch, "%s"], stop = [true] } }
                    monitors { m { type = exec, target = r, command = [true], interval = 5 sekonds } }
                  }
                }
                """.formatted(marker));

        Run run = kawari("restore", "s", "--config", file.toString(), "--node", "node-a");

        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(file + ":6: ");
        assertThat(marker).doesNotExist();
    }

    private static String[] concat(String command, String target, String... rest) {
        String[] all = new String[rest.length + 2];
        all[0] = command;
        all[1] = target;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
