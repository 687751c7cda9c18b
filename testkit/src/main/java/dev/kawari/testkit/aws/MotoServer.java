package dev.kawari.testkit.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code moto_server} run from the PATH on a free loopback port ({@code -H 127.0.0.1 -p PORT}), its
 * output kept in a log file that failure messages point to.
 */
public final class MotoServer implements AutoCloseable {
    /** How to install what this class runs; printed when it is missing in CI. */
    public static final String INSTALL_HINT = "install moto with: pip install 'moto[server]==5.2.1'";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final URI uri;
    private final Path log;

    private MotoServer(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** The {@code moto_server} executable on the PATH, if there is one. */
    public static Optional<Path> executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "moto_server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code executable} on a free port of 127.0.0.1 and waits until it answers. */
    public static MotoServer start(Path executable) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            Path log = Files.createTempFile("kawari-moto-" + port + "-", ".log");
            Process process = new ProcessBuilder(List.of(executable.toString(), "-H", "127.0.0.1", "-p",
                    String.valueOf(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            URI uri = URI.create("http://127.0.0.1:" + port);
            MotoServer server = new MotoServer(process, uri, log);
            if (server.awaitAnswer()) {
                return server;
            }
            String output = Files.exists(log) ? Files.readString(log) : "";
            server.close();
            last = new IOException("moto_server did not answer on " + uri + " within " + STARTUP.toSeconds()
                    + " s; its output: " + (output.length() > 2000 ? output.substring(output.length() - 2000) : output));
        }
        throw last;
    }

    private boolean awaitAnswer() throws InterruptedException {
        long until = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() - until < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.resolve("/moto-api/").toURL()
                        .openConnection(java.net.Proxy.NO_PROXY);
                connection.setConnectTimeout(500);
                connection.setReadTimeout(5_000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status > 0) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    public URI uri() {
        return uri;
    }

    /** The file holding moto's output. */
    public Path log() {
        return log;
    }

    /** Stops the server and deletes its log (kept only while it runs, for failure messages). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temporary directory is harmless
        }
    }
}
