package dev.kawari.aws;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.utils.StringInputStream;

/**
 * AWS clients built from {@link AwsSettings}: one client per service and region, shared by every
 * kit and resource of the process that uses the same settings, and closed when the last of them lets
 * go ({@link #lease}).
 *
 * <p>Every client:
 * <ul>
 *   <li>uses the endpoint override of its service when one is configured;
 *   <li>uses the credentials of the settings: the default chain (with the instance profile read
 *       through IMDSv2 only, never IMDSv1), a named profile, or a role assumed through STS with an
 *       optional external id;
 *   <li>does not retry on its own: {@link AwsCalls} retries, bounded by the operation's deadline;
 *   <li>counts every request in {@link ApiCallCounter#process()}.
 * </ul>
 */
public final class AwsClients {
    /** The base of the session name of assumed roles, completed by the host name. */
    static final String SESSION_PREFIX = "kawari-";
    /** The longest a single call may take when its caller gives no tighter bound. */
    static final Duration LONGEST_CALL = Duration.ofSeconds(30);

    private static final Map<AwsSettings, Shared> POOL = new HashMap<>();

    private AwsClients() {
    }

    /**
     * A lease on the clients for {@code settings}; the clients are built when first asked for, so a
     * lease touches nothing. Close the lease when done (a resource's {@code close}).
     */
    public static Lease lease(AwsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        synchronized (POOL) {
            Shared shared = POOL.computeIfAbsent(settings, Shared::new);
            shared.leases++;
            return new Lease(shared);
        }
    }

    /** The global pseudo-region of the partition {@code region} belongs to, where Route 53 answers. */
    static Region globalRegionOf(String region) {
        if (region.startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        if (region.startsWith("us-gov-")) {
            return Region.AWS_US_GOV_GLOBAL;
        }
        return Region.AWS_GLOBAL;
    }

    /** The clients of one {@link AwsSettings}; see {@link AwsClients#lease}. Thread-safe. */
    public static final class Lease implements AutoCloseable {
        private final Shared shared;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(Shared shared) {
            this.shared = shared;
        }

        public AwsSettings settings() {
            return shared.settings;
        }

        /** The EC2 client of {@code region}. */
        public Ec2Client ec2(String region) {
            checkOpen();
            return shared.ec2(region);
        }

        /**
         * The Route 53 client for nodes of {@code region}. Route 53 is a global service: the client
         * uses the global endpoint of the region's partition ({@code aws-global}, {@code aws-cn-global}
         * or {@code aws-us-gov-global}), so every region of one partition shares it.
         */
        public Route53Client route53(String region) {
            checkOpen();
            return shared.route53(globalRegionOf(region));
        }

        /** The DynamoDB client of {@code region} (the DynamoDB coordinator's leases). */
        public DynamoDbClient dynamoDb(String region) {
            checkOpen();
            return shared.dynamoDb(region);
        }

        /** The Secrets Manager client of {@code region}. */
        public SecretsManagerClient secretsManager(String region) {
            checkOpen();
            return shared.secretsManager(region);
        }

        /** How to call AWS with retries bounded by a deadline, classified failures and counted calls. */
        public AwsCalls calls() {
            checkOpen();
            return shared.calls;
        }

        private void checkOpen() {
            if (closed.get()) {
                throw new IllegalStateException("this lease on AWS clients is closed");
            }
        }

        /** Lets go of the clients; the last lease closes them. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            synchronized (POOL) {
                if (--shared.leases == 0) {
                    POOL.remove(shared.settings);
                    shared.close();
                }
            }
        }
    }

    private static final class Shared {
        private final AwsSettings settings;
        private final ExecutorService executor;
        private final AwsCalls calls;
        /** By service and region: {@code ec2 eu-west-1}. */
        private final Map<String, SdkClient> clients = new HashMap<>();
        private final Map<String, AwsCredentialsProvider> credentials = new HashMap<>();
        private final List<SdkAutoCloseable> closeables = new ArrayList<>();
        private SdkHttpClient http;
        private AwsCredentialsProvider baseCredentials;
        private int leases;

        Shared(AwsSettings settings) {
            this.settings = settings;
            AtomicInteger threads = new AtomicInteger();
            // A thread per call in flight: the caller waits interruptibly while the SDK's blocking
            // socket read runs here, bounded by the call's timeout.
            this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    runnable -> {
                        Thread thread = new Thread(runnable, "kawari-aws-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            this.calls = new AwsCalls(executor);
        }

        synchronized Ec2Client ec2(String region) {
            return client("ec2", region, Ec2Client::builder);
        }

        synchronized DynamoDbClient dynamoDb(String region) {
            return client("dynamodb", region, DynamoDbClient::builder);
        }

        synchronized SecretsManagerClient secretsManager(String region) {
            return client("secretsmanager", region, SecretsManagerClient::builder);
        }

        /**
         * The client of {@code service} (its IAM prefix, also the key of its endpoint override) in
         * {@code region}, built once: this process's HTTP client and credentials, no SDK retries (the
         * deadline-bounded retries of {@link AwsCalls} replace them), calls counted.
         */
        private <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
                String service, String region, Supplier<B> builder) {
            return type(clients.computeIfAbsent(service + " " + region, key -> {
                B configured = builder.get()
                        .region(Region.of(region))
                        .httpClient(http())
                        .credentialsProvider(credentials(region))
                        .overrideConfiguration(overrides(service));
                settings.endpoint(service).ifPresent(configured::endpointOverride);
                C client = configured.build();
                closeables.add(client);
                return client;
            }));
        }

        @SuppressWarnings("unchecked") // a key names one service, so one client class
        private static <C extends SdkClient> C type(SdkClient client) {
            return (C) client;
        }

        /** Route 53 is global: {@code global} is the pseudo-region of a partition ({@code aws-global}). */
        synchronized Route53Client route53(Region global) {
            return client("route53", global.id(), Route53Client::builder);
        }

        private ClientOverrideConfiguration overrides(String iamPrefix) {
            return ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallTimeout(LONGEST_CALL)
                    .addExecutionInterceptor(ApiCallCounter.process().interceptor(iamPrefix))
                    .build();
        }

        private SdkHttpClient http() {
            if (http == null) {
                http = UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(LONGEST_CALL)
                        .build();
            }
            return http;
        }

        private AwsCredentialsProvider credentials(String region) {
            if (settings.roleArn().isEmpty()) {
                return base();
            }
            return credentials.computeIfAbsent(region, name -> {
                var sts = StsClient.builder()
                        .region(Region.of(name))
                        .httpClient(http())
                        .credentialsProvider(base())
                        .overrideConfiguration(overrides("sts"));
                settings.endpoint("sts").ifPresent(sts::endpointOverride);
                StsClient client = sts.build();
                closeables.add(client);
                StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(client)
                        .refreshRequest(request -> {
                            request.roleArn(settings.roleArn().get()).roleSessionName(sessionName());
                            settings.externalId().ifPresent(request::externalId);
                        })
                        .build();
                closeables.add(provider);
                return provider;
            });
        }

        private AwsCredentialsProvider base() {
            if (baseCredentials == null) {
                baseCredentials = settings.profile().<AwsCredentialsProvider>map(profile ->
                        ProfileCredentialsProvider.builder().profileName(profile).build())
                        .orElseGet(Shared::defaultChain);
                if (baseCredentials instanceof SdkAutoCloseable closeable) {
                    closeables.add(closeable);
                }
            }
            return baseCredentials;
        }

        /**
         * The SDK's default chain, in its order, except that the instance profile is read through
         * IMDSv2 only: without a token, no credentials (never the IMDSv1 fallback).
         */
        private static AwsCredentialsProvider defaultChain() {
            ProfileFile imdsV2Only = ProfileFile.builder()
                    .content(new StringInputStream("[profile kawari-imds]\nec2_metadata_v1_disabled = true\n"))
                    .type(ProfileFile.Type.CONFIGURATION)
                    .build();
            return AwsCredentialsProviderChain.builder()
                    .reuseLastProviderEnabled(true)
                    .credentialsProviders(
                            SystemPropertyCredentialsProvider.create(),
                            EnvironmentVariableCredentialsProvider.create(),
                            WebIdentityTokenFileCredentialsProvider.create(),
                            ProfileCredentialsProvider.create(),
                            ContainerCredentialsProvider.builder().build(),
                            InstanceProfileCredentialsProvider.builder()
                                    .profileFile(() -> imdsV2Only)
                                    .profileName("kawari-imds")
                                    .build())
                    .build();
        }

        private static String sessionName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "node";
            }
            String name = (SESSION_PREFIX + host).replaceAll("[^\\w+=,.@-]", "-");
            return name.length() > 64 ? name.substring(0, 64) : name;
        }

        synchronized void close() {
            executor.shutdownNow();
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
            closeables.clear();
            clients.clear();
            credentials.clear();
            if (http != null) {
                http.close();
                http = null;
            }
        }
    }
}
