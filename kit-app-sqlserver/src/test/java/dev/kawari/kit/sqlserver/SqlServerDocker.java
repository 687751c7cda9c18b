package dev.kawari.kit.sqlserver;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real SQL Server in Docker (Testcontainers {@code MSSQLServerContainer}), started once for the test
 * JVM when first asked for. Where no Docker engine answers, asking for it skips the test with that
 * reason: there is no other honest way to run SQL Server on the build machine.
 */
final class SqlServerDocker {
    static final String IMAGE = "mcr.microsoft.com/mssql/server:2022-latest";
    static final String NO_DOCKER = "Docker is absent (no Docker engine answers), so the tests against a real SQL"
            + " Server (Testcontainers MSSQLServerContainer) are skipped; the levels, timeouts and secret handling"
            + " are covered by the tests that run everywhere";

    private static MSSQLServerContainer<?> container;

    private SqlServerDocker() {
    }

    static boolean available() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Skips the calling test, saying why, unless a Docker engine answers. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(available(), NO_DOCKER);
    }

    /** The running container; skips the calling test when Docker is absent. */
    static synchronized MSSQLServerContainer<?> container() {
        assumeAvailable();
        if (container == null) {
            MSSQLServerContainer<?> started = new MSSQLServerContainer<>(DockerImageName.parse(IMAGE)).acceptLicense();
            started.start();
            container = started;
        }
        return container;
    }

    /** The container's JDBC URL, encryption off (the test server's certificate is self-signed). */
    static String url() {
        String url = container().getJdbcUrl();
        return url.toLowerCase(java.util.Locale.ROOT).contains("encrypt=") ? url : url + ";encrypt=false";
    }
}
