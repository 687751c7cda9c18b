package dev.kawari.agent.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The small web server the demo protects, with the start, stop and check commands an operator
 * would otherwise write as scripts: {@code start DIR PORT} launches a detached server on
 * 127.0.0.1:PORT and returns once it answers; {@code stop DIR} ends it; {@code check PORT} exits 0
 * when it answers, 1 when it does not. Start and stop are idempotent, as the exec kit expects.
 */
public final class DemoWebServer {
    private DemoWebServer() {
    }

    public static void main(String[] args) throws Exception {
        String usage = "usage: DemoWebServer start DIR PORT | serve DIR PORT | stop DIR | check PORT";
        if (args.length < 2) {
            System.err.println(usage);
            System.exit(2);
        }
        switch (args[0]) {
            case "start" -> System.exit(start(Path.of(args[1]), Integer.parseInt(args[2])));
            case "serve" -> serve(Path.of(args[1]), Integer.parseInt(args[2]));
            case "stop" -> System.exit(stop(Path.of(args[1])));
            case "check" -> System.exit(answers(Integer.parseInt(args[1])) ? 0 : 1);
            default -> {
                System.err.println(usage);
                System.exit(2);
            }
        }
    }

    static Path pidFile(Path dir) {
        return dir.resolve("web.pid");
    }

    private static int start(Path dir, int port) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = running(dir);
        if (running.isPresent() && answers(port)) {
            System.out.println("already serving on port " + port + " as pid " + running.get().pid());
            return 0;
        }
        Files.writeString(dir.resolve("www").resolve("index.html"), "Hello from Kawari\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), DemoWebServer.class.getName(), "serve", dir.toString(),
                String.valueOf(port)))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("web.log").toFile()))
                .redirectErrorStream(true)
                .start();
        Files.writeString(pidFile(dir), Long.toString(server.pid()));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            if (!server.isAlive()) {
                System.out.println("server exited with " + server.exitValue() + "; see " + dir.resolve("web.log"));
                return 1;
            }
            if (answers(port)) {
                System.out.println("serving " + dir.resolve("www") + " on http://127.0.0.1:" + port + "/ as pid " + server.pid());
                return 0;
            }
            Thread.sleep(50);
        }
        server.destroyForcibly();
        System.out.println("server did not answer on port " + port + " within 15 s");
        return 1;
    }

    private static void serve(Path dir, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            byte[] body;
            int status;
            try {
                body = Files.readAllBytes(dir.resolve("www").resolve("index.html"));
                status = 200;
            } catch (IOException e) {
                body = "content missing\n".getBytes(StandardCharsets.UTF_8);
                status = 503;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static int stop(Path dir) throws IOException {
        Optional<ProcessHandle> running = running(dir);
        if (running.isPresent()) {
            ProcessHandle server = running.get();
            server.destroy();
            try {
                server.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                server.destroyForcibly();
            }
            System.out.println("stopped pid " + server.pid());
        }
        Files.deleteIfExists(pidFile(dir));
        return 0;
    }

    /** The server recorded in the pid file, if it is still this demo's server. */
    static Optional<ProcessHandle> running(Path dir) throws IOException {
        Path pidFile = pidFile(dir);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("serve")).orElse(true));
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
