package dev.kawari.testkit.aws;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests an AWS endpoint, chosen in this order:
 *
 * <ol>
 *   <li>{@code KAWARI_AWS_ENDPOINT} (environment variable or system property), used as it is, with
 *       {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} when set (so
 *       that {@code aws-live} tests can run against a real account);
 *   <li>LocalStack through Testcontainers, when a Docker engine answers;
 *   <li>{@code moto_server} from the PATH, started on a free loopback port.
 * </ol>
 *
 * When none is available, tests fail under CI ({@code CI=true}) with the command that installs moto,
 * and are skipped with that reason elsewhere. The endpoint is started once per test JVM, shared by
 * every test class, and stopped when the JVM's tests end; it is reset (emptied) before every test.
 * It also sets the {@code aws.accessKeyId}, {@code aws.secretAccessKey} and {@code aws.region} system
 * properties, unless already set, so that clients built from the default credential chain work.
 *
 * <pre>{@code
 * class RouteTableIT {
 *     @RegisterExtension
 *     static final AwsEndpointExtension aws = new AwsEndpointExtension();
 *
 *     @Test
 *     void restorePointsEveryTable() {
 *         Ec2Topology topology = Ec2Topology.create(aws.endpoint().ec2());
 *         ...
 *     }
 * }
 * }</pre>
 * Test methods may also take an {@link AwsEndpoint} parameter.
 */
public final class AwsEndpointExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    /** Names the endpoint to use instead of starting one. */
    public static final String ENDPOINT_VARIABLE = "KAWARI_AWS_ENDPOINT";

    private static final Object LOCK = new Object();
    private static AwsEndpoint shared;
    private static String unavailable;

    private final boolean resetBeforeEach;

    /** Resets the endpoint before every test. */
    public AwsEndpointExtension() {
        this(true);
    }

    /** @param resetBeforeEach whether to empty the endpoint before every test (false: the class shares its state) */
    public AwsEndpointExtension(boolean resetBeforeEach) {
        this.resetBeforeEach = resetBeforeEach;
    }

    /** The endpoint; only valid once the extension has run its {@code beforeAll}. */
    public AwsEndpoint endpoint() {
        synchronized (LOCK) {
            if (shared == null) {
                throw new IllegalStateException("no AWS endpoint: " + (unavailable == null
                        ? "the extension has not started yet" : unavailable));
            }
            return shared;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpointOrAbort();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        AwsEndpoint endpoint = endpointOrAbort();
        if (resetBeforeEach) {
            endpoint.reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AwsEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        return endpointOrAbort();
    }

    /**
     * The endpoint for code outside JUnit (a benchmark's {@code main}), chosen and started as for
     * tests, and not reset.
     *
     * @throws org.opentest4j.TestAbortedException when none is available (the message says how to install moto)
     */
    public static AwsEndpoint shared() {
        return endpointOrAbort();
    }

    private static AwsEndpoint endpointOrAbort() {
        synchronized (LOCK) {
            if (shared == null && unavailable == null) {
                try {
                    shared = start();
                } catch (Exception e) {
                    unavailable = "could not start an AWS endpoint: " + e;
                    throw new IllegalStateException(unavailable, e);
                }
                if (shared == null) {
                    unavailable = "no AWS endpoint: " + ENDPOINT_VARIABLE + " is not set, no Docker engine answers"
                            + " (for LocalStack), and moto_server is not on the PATH; " + MotoServer.INSTALL_HINT;
                } else {
                    defaultProperty("aws.accessKeyId", shared.accessKeyId());
                    defaultProperty("aws.secretAccessKey", shared.secretAccessKey());
                    defaultProperty("aws.region", shared.region());
                }
            }
            if (shared == null) {
                throw unavailable(unavailable, System.getenv("CI"));
            }
            return shared;
        }
    }

    /** What to throw when no endpoint is available: a failure under CI ({@code CI=true}), else a skip. */
    static RuntimeException unavailable(String reason, String ci) {
        if ("true".equalsIgnoreCase(ci)) {
            throw new AssertionError(reason);
        }
        return new TestAbortedException(reason);
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static AwsEndpoint start() throws Exception {
        Optional<String> given = Optional.ofNullable(System.getProperty(ENDPOINT_VARIABLE))
                .or(() -> Optional.ofNullable(System.getenv(ENDPOINT_VARIABLE)))
                .map(String::trim).filter(value -> !value.isEmpty());
        if (given.isPresent()) {
            // A given endpoint may be real AWS (for aws-live tests): then the environment's region and keys count.
            String region = Optional.ofNullable(System.getenv("AWS_REGION")).orElse(AwsEndpoint.DEFAULT_REGION);
            String key = Optional.ofNullable(System.getenv("AWS_ACCESS_KEY_ID")).orElse("testing");
            String secret = Optional.ofNullable(System.getenv("AWS_SECRET_ACCESS_KEY")).orElse("testing");
            return new AwsEndpoint(URI.create(given.get()), region, key, secret, AwsEndpoint.Kind.GIVEN);
        }
        if (dockerMayAnswer()) {
            Optional<AwsEndpoint> localStack = LocalStackEndpoint.start();
            if (localStack.isPresent()) {
                return localStack.get();
            }
        }
        Optional<Path> moto = MotoServer.executable();
        if (moto.isEmpty()) {
            return null;
        }
        MotoServer server = MotoServer.start(moto.get());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kawari-moto-stop"));
        return new AwsEndpoint(server.uri(), AwsEndpoint.DEFAULT_REGION, "testing", "testing", AwsEndpoint.Kind.MOTO);
    }

    /** Cheap test before asking Testcontainers, whose probing of every strategy is slow. */
    private static boolean dockerMayAnswer() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
    }
}
