package dev.kawari.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kawari.engine.Engine;
import dev.kawari.engine.config.KawariConfig;
import dev.kawari.engine.config.MonitorSpec;
import dev.kawari.engine.config.ResourceSpec;
import dev.kawari.engine.config.ServiceSpec;
import dev.kawari.engine.kit.KitRegistry;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prints the least-privilege IAM policy for one configuration: exactly the actions that the resource
 * and monitor types configured in the file call, as each type declares them for its configuration
 * ({@code ResourceType.iamActions}), one statement per type.
 */
@Command(name = "iam-policy", description = {
    "Print the least-privilege IAM policy (JSON) for exactly the resource and monitor types of FILE,",
    "as configured there. Attach it to the nodes' instance role (or to kawari.aws.credentials.role-arn)."})
final class IamPolicyCommand implements Callable<Integer> {
    static final String VERSION = "2012-10-17";

    private final Engine engine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "HOCON configuration file")
    Path file;

    @Inject
    IamPolicyCommand(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Set<String>> actionsByType = new TreeMap<>();
        try (KawariConfig config = engine.configs().load(file)) {
            KitRegistry kits = engine.kits();
            for (ServiceSpec service : config.services()) {
                for (ResourceSpec resource : service.resources()) {
                    kits.resourceType(resource.type()).ifPresent(type -> actionsByType
                            .computeIfAbsent(resource.type(), key -> new TreeSet<>())
                            .addAll(type.iamActions(resource.config())));
                }
                for (MonitorSpec monitor : service.monitors()) {
                    kits.monitorType(monitor.type()).ifPresent(type -> actionsByType
                            .computeIfAbsent(monitor.type(), key -> new TreeSet<>())
                            .addAll(type.iamActions(monitor.config())));
                }
            }
        }
        actionsByType.values().removeIf(Set::isEmpty);
        spec.commandLine().getOut().println(policy(actionsByType));
        if (actionsByType.isEmpty()) {
            spec.commandLine().getErr().println("kawari: no type in " + file + " calls AWS; the policy has no statement");
        }
        return ExitCode.OK;
    }

    /** The policy document: one Allow statement per type, actions sorted, on every resource. */
    static String policy(Map<String, Set<String>> actionsByType) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode policy = json.createObjectNode();
        policy.put("Version", VERSION);
        ArrayNode statements = policy.putArray("Statement");
        actionsByType.forEach((type, actions) -> {
            ObjectNode statement = statements.addObject();
            statement.put("Sid", sid(type));
            statement.put("Effect", "Allow");
            ArrayNode list = statement.putArray("Action");
            actions.forEach(list::add);
            // EC2's describe calls accept no narrower resource; the types name what they touch in config.
            statement.put("Resource", "*");
        });
        return json.writeValueAsString(policy);
    }

    /** {@code ec2-route-table} becomes {@code KawariEc2RouteTable}: statement ids are alphanumeric. */
    static String sid(String type) {
        StringBuilder sid = new StringBuilder("Kawari");
        for (String part : type.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sid.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return sid.toString();
    }
}
