package dev.kawari.agent;

import dev.kawari.testkit.aws.AwsEndpoint;
import dev.kawari.testkit.aws.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kawari} command as a real process (this test JVM's class path) inside a network
 * namespace standing in for a node's operating system, with the emulator's credentials.
 *
 * @param namespace where it runs
 * @param endpoint whose credentials it gets
 * @param environment more variables (the IMDS stub's endpoint, for example)
 * @param dir where its output is kept
 */
record KawariProcess(NetworkNamespace namespace, AwsEndpoint endpoint, Map<String, String> environment, Path dir) {
    /** What one run gave. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code kawari ARGUMENTS} to its end (at most two minutes). */
    Run run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Kawari.class.getName()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(dir, "out", ".log");
        Path err = Files.createTempFile(dir, "err", ".log");
        ProcessBuilder builder = new ProcessBuilder(namespace.inside(command))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> variables = builder.environment();
        variables.put("AWS_ACCESS_KEY_ID", endpoint.accessKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", endpoint.secretAccessKey());
        variables.remove("AWS_PROFILE");
        variables.putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kawari " + String.join(" ", arguments) + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
