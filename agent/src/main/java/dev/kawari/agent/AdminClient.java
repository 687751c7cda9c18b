package dev.kawari.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How the CLI talks to a running agent: the admin file in the state directory names port and token. */
final class AdminClient {
    /** Where {@code kawari run} writes its admin file unless told otherwise. */
    static final String DEFAULT_STATE_DIR = "/run/kawari";

    private final URI base;
    private final String token;

    private AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    static Path stateDir(Path option) {
        if (option != null) {
            return option;
        }
        String fromEnvironment = System.getenv("KAWARI_STATE_DIR");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_STATE_DIR : fromEnvironment);
    }

    /** The agent of {@code node}, or the only agent whose admin file is in {@code stateDir}. */
    static AdminClient find(Path stateDir, String node) {
        Path file;
        if (node != null) {
            file = AdminServer.adminFile(stateDir, node);
        } else {
            List<Path> files;
            try (Stream<Path> listed = Files.list(stateDir)) {
                files = listed.filter(path -> path.getFileName().toString().endsWith(".admin")
                        && !path.getFileName().toString().startsWith(".")).sorted().toList();
            } catch (IOException e) {
                throw new UsageException("no running agent: cannot read " + stateDir + " (" + e.getMessage()
                        + "); is `kawari run` running here? (--state-dir or KAWARI_STATE_DIR)");
            }
            if (files.size() != 1) {
                throw new UsageException((files.isEmpty() ? "no running agent" : "several agents") + " in " + stateDir
                        + (files.isEmpty() ? "" : ": " + files.stream().map(p -> p.getFileName().toString()
                                .replace(".admin", "")).collect(Collectors.joining(", ")) + "; choose one with --node"));
            }
            file = files.get(0);
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage() + " (is the agent running? are you root?)");
        }
        return new AdminClient(URI.create("http://127.0.0.1:" + properties.getProperty("port")),
                properties.getProperty("token", ""));
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Map<String, String> parameters) {
        String query = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path + "?" + query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .proxy(java.net.ProxySelector.of(null)).build();
        try {
            HttpResponse<byte[]> response = client.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = AdminServer.JSON.readTree(response.body());
            if (response.statusCode() == 400 || response.statusCode() == 404) {
                throw new UsageException(body.path("error").asText());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the agent answered " + response.statusCode() + ": "
                        + body.path("error").asText());
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the agent at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
