package dev.kawari.kit.routetable;

import static dev.kawari.kit.routetable.RouteTableResourceType.CREATE_ROUTE;
import static dev.kawari.kit.routetable.RouteTableResourceType.DESCRIBE_NETWORK_INTERFACES;
import static dev.kawari.kit.routetable.RouteTableResourceType.DESCRIBE_ROUTE_TABLES;
import static dev.kawari.kit.routetable.RouteTableResourceType.DESCRIBE_VPCS;
import static dev.kawari.kit.routetable.RouteTableResourceType.MODIFY_NETWORK_INTERFACE_ATTRIBUTE;
import static dev.kawari.kit.routetable.RouteTableResourceType.REPLACE_ROUTE;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsErrorCodes;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.Ipv4Cidr;
import dev.kawari.spi.Action;
import dev.kawari.spi.CheckResult;
import dev.kawari.spi.ErrorCode;
import dev.kawari.spi.ErrorType;
import dev.kawari.spi.KawariException;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import dev.kawari.spi.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteState;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * A virtual IP routed to this node: every configured route table sends {@code address/32} to this
 * node's network interface, and (with {@code local-address}) the address is on this node's interface.
 *
 * <ul>
 *   <li>restore and recover: read the VPC's route tables once (an unknown table fails here, before
 *       anything changes), turn off the interface's source/destination check (when configured), add
 *       the local address, then, in parallel, repoint only
 *       the tables that do not already send the address here ({@code ReplaceRoute}, or {@code
 *       CreateRoute} for a missing route with {@code create-missing-routes}); each table is retried
 *       on its own while the others are updated, and a table that still fails is named in the error.
 *       Finally one describe verifies every table.
 *   <li>remove: deletes the local address only. The next holder repoints the routes.
 *   <li>check: one {@code DescribeRouteTables} per VPC per tick, shared by every virtual IP of the
 *       node; Healthy when every table sends the address here and the address is local. An API that
 *       cannot answer is Unknown, never Unhealthy.
 * </ul>
 */
final class RouteTableResource implements Resource {
    private final String label;
    private final RouteTableSettings settings;
    private final AwsSettings aws;
    private final RouteTableResourceType type;
    private final AwsClients.Lease clients;

    RouteTableResource(String label, RouteTableSettings settings, AwsSettings aws, RouteTableResourceType type) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.type = Objects.requireNonNull(type, "type");
        this.clients = AwsClients.lease(aws);
    }

    RouteTableSettings settings() {
        return settings;
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        bringHere(context, "restore");
    }

    /** Fixes only what is wrong: restore already leaves correct tables alone. */
    @Override
    public void recover(OperationContext context) throws InterruptedException {
        bringHere(context, "recover");
    }

    @Override
    public void remove(OperationContext context) {
        if (!settings.localAddress()) {
            return;
        }
        Ec2Node node = node(context);
        type.addresses().delete(node.device().orElseThrow(), settings.address(), context.deadline());
    }

    private void bringHere(OperationContext context, String what) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node = node(context);
            Ec2Client ec2 = clients.ec2(node.region());
            String vpc = vpc(calls, ec2, node, false);
            RouteTableResourceType.VpcKey key = new RouteTableResourceType.VpcKey(aws, node.region(), vpc);
            List<RouteTable> before = describe(calls, ec2, vpc);
            List<String> tables = targetTables(before, vpc);
            Map<String, RouteTable> byId = byId(before);
            // The node accepts the traffic before the routes bring it: forwarding needs the check off,
            // and the operating system needs the address.
            if (settings.disableSourceDestCheck()) {
                calls.act(MODIFY_NETWORK_INTERFACE_ATTRIBUTE, limits -> ec2.modifyNetworkInterfaceAttribute(request ->
                        request.networkInterfaceId(node.eni()).sourceDestCheck(value -> value.value(false))
                                .overrideConfiguration(limits)));
            }
            if (settings.localAddress()) {
                type.addresses().add(node.device().orElseThrow(), settings.address(), context.deadline());
            }
            List<String> wrong = tables.stream().filter(table -> !pointsHere(byId.get(table), node)).toList();
            Map<String, KawariException> failures = calls.inParallel(wrong,
                    table -> pointHere(calls, ec2, byId.get(table), node));
            type.routeTables().forget(key);
            List<RouteTable> after = describe(calls, ec2, vpc);
            type.routeTables().offer(key, after);
            Map<String, RouteTable> afterById = byId(after);
            List<String> notHere = new ArrayList<>();
            for (String table : tables) {
                if (!failures.containsKey(table) && !pointsHere(afterById.get(table), node)) {
                    notHere.add(table);
                }
            }
            if (!failures.isEmpty() || !notHere.isEmpty()) {
                throw notUpdated(tables, wrong, failures, notHere, afterById, node);
            }
            context.events().note(what + " of " + settings.cidr() + ": " + (wrong.isEmpty()
                    ? "every route table already sent it to " + node.eni()
                    : "pointed " + wrong + " at " + node.eni()) + "; " + tables.size() + " route table(s) verified",
                    Map.of("address", settings.cidr(), "eni", node.eni(), "updated", String.join(",", wrong)));
        } finally {
            calls.noteCalls(what);
        }
    }

    /** Repoints one table's route for the address at this node, creating it when it is missing and allowed. */
    private void pointHere(AwsOperation calls, Ec2Client ec2, RouteTable table, Ec2Node node) {
        String id = table.routeTableId();
        boolean present = route(table).isPresent();
        if (!present && !settings.createMissingRoutes()) {
            throw new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "route table " + id + " has no route for "
                    + settings.cidr() + " and create-missing-routes is false: add the route, or set it to true");
        }
        if (present) {
            try {
                replace(calls, ec2, id, node);
            } catch (AwsException e) {
                if (!routeIsGone(e) || !settings.createMissingRoutes()) {
                    throw e;
                }
                create(calls, ec2, id, node); // deleted since the describe
            }
        } else {
            try {
                create(calls, ec2, id, node);
            } catch (AwsException e) {
                if (!e.is("RouteAlreadyExists")) {
                    throw e;
                }
                replace(calls, ec2, id, node); // created since the describe, by another node
            }
        }
    }

    private void replace(AwsOperation calls, Ec2Client ec2, String table, Ec2Node node) {
        calls.act(REPLACE_ROUTE, limits -> ec2.replaceRoute(request -> request.routeTableId(table)
                .destinationCidrBlock(settings.cidr()).networkInterfaceId(node.eni()).overrideConfiguration(limits)));
    }

    private void create(AwsOperation calls, Ec2Client ec2, String table, Ec2Node node) {
        calls.act(CREATE_ROUTE, limits -> ec2.createRoute(request -> request.routeTableId(table)
                .destinationCidrBlock(settings.cidr()).networkInterfaceId(node.eni()).overrideConfiguration(limits)));
    }

    private static boolean routeIsGone(AwsException e) {
        return e.is("InvalidRoute.NotFound") || e.is("InvalidParameterValue")
                && String.valueOf(e.getMessage()).contains("no route");
    }

    private KawariException notUpdated(List<String> tables, List<String> attempted, Map<String, KawariException> failures,
            List<String> notHere, Map<String, RouteTable> after, Ec2Node node) {
        List<String> parts = new ArrayList<>();
        failures.forEach((table, failure) -> parts.add(table + ": " + failure.getMessage()));
        for (String table : notHere) {
            parts.add(table + ": still " + describeRoute(after.get(table)) + " after the update");
        }
        List<String> updated = attempted.stream().filter(table -> !failures.containsKey(table) && !notHere.contains(table))
                .toList();
        List<String> unchanged = tables.stream().filter(table -> !attempted.contains(table)).toList();
        boolean configuration = failures.values().stream().anyMatch(f -> f.type() == ErrorType.CONFIGURATION);
        boolean retryable = !configuration && failures.values().stream().allMatch(KawariException::retryable);
        ErrorCode code = configuration ? failures.values().stream().filter(f -> f.type() == ErrorType.CONFIGURATION)
                .findFirst().orElseThrow().code() : notHere.isEmpty() && failures.size() == 1
                ? failures.values().iterator().next().code() : AwsErrorCodes.AWS_CHANGE_NOT_VISIBLE;
        String message = (failures.size() + notHere.size()) + " of " + tables.size() + " route table(s) do not send "
                + settings.cidr() + " to " + node.describe() + ": " + String.join("; ", parts)
                + (updated.isEmpty() ? "" : "; updated: " + updated)
                + (unchanged.isEmpty() ? "" : "; already right: " + unchanged);
        return new KawariException(code, retryable, message);
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        AwsOperation calls = clients.calls().on(context);
        try {
            Ec2Node node;
            try {
                node = node(context);
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "cannot tell who this node is: ");
            }
            Ec2Client ec2 = clients.ec2(node.region());
            List<RouteTable> tables;
            String vpc;
            try {
                vpc = vpc(calls, ec2, node, true);
                RouteTableResourceType.VpcKey key = new RouteTableResourceType.VpcKey(aws, node.region(), vpc);
                tables = type.routeTables().get(key, calls, DESCRIBE_ROUTE_TABLES, limits -> describeCall(ec2, vpc, limits));
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read the route tables: ");
            }
            Map<String, RouteTable> byId = byId(tables);
            List<String> wanted = settings.routeTables().orElseGet(() -> List.copyOf(byId.keySet()));
            List<String> wrong = new ArrayList<>();
            for (String table : wanted) {
                RouteTable found = byId.get(table);
                if (found == null) {
                    wrong.add(table + " is not a route table of " + vpc);
                } else if (!pointsHere(found, node)) {
                    wrong.add(table + " " + describeRoute(found));
                }
            }
            if (wanted.isEmpty()) {
                return CheckResult.unhealthy(vpc + " has no route tables");
            }
            if (!wrong.isEmpty()) {
                return CheckResult.unhealthy(settings.cidr() + " is not routed to " + node.describe() + ": "
                        + String.join("; ", wrong));
            }
            if (settings.localAddress()) {
                String device = node.device().orElseThrow();
                boolean local;
                try {
                    local = type.addresses().has(device, settings.address(), context.deadline());
                } catch (KawariException e) {
                    return Ec2Interfaces.unknownUnlessInterrupted(e, "could not list the addresses of " + device + ": ");
                }
                if (!local) {
                    return CheckResult.unhealthy(settings.cidr() + " is routed here but is not on " + device);
                }
            }
            return CheckResult.healthy();
        } finally {
            ApiCallCounter.process().noteIfDue(ApiCallCounter.REPORT_EVERY, context.time(), context.events());
        }
    }


    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        AwsOperation calls = clients.calls().on(context);
        try {
            Optional<Ec2Node> resolved = Ec2Interfaces.resolveOrReport(() -> node(context), problems);
            if (resolved.isEmpty()) {
                return;
            }
            Ec2Node node = resolved.get();
            Ec2Client ec2 = clients.ec2(node.region());
            Optional<NetworkInterface> eni = Ec2Interfaces.verifyNodeInterface(calls, ec2, node, problems);
            if (eni.isEmpty()) {
                return;
            }
            String vpc = eni.get().vpcId();
            type.vpcOfInterface().put(node.eni(), vpc);
            if (settings.vpcId().isPresent() && !settings.vpcId().get().equals(vpc)) {
                problems.problem("vpc-id", "vpc-id is " + settings.vpcId().get() + " but node '" + node.name()
                        + "''s network interface " + node.eni() + " is in " + vpc);
                return;
            }
            List<Vpc> vpcs = calls.act(DESCRIBE_VPCS, limits -> ec2.describeVpcs(request -> request.vpcIds(vpc)
                    .overrideConfiguration(limits))).vpcs();
            for (Vpc found : vpcs) {
                for (String cidr : cidrsOf(found)) {
                    Optional<Ipv4Cidr> block = Ipv4Cidr.parse(cidr);
                    if (block.isPresent() && block.get().contains(settings.address())) {
                        problems.problem("address", "address " + settings.address() + " lies inside " + vpc
                                + "'s CIDR " + cidr + ": a route-table virtual IP must be outside every CIDR of the"
                                + " VPC (for an address inside a subnet, use secondary-ip)");
                    }
                }
            }
            List<RouteTable> tables = describe(calls, ec2, vpc);
            Map<String, RouteTable> byId = byId(tables);
            if (settings.routeTables().isEmpty() && tables.isEmpty()) {
                problems.problem("route-tables", "route-tables is auto but " + vpc + " has no route tables");
            }
            if (settings.routeTables().isEmpty() && !settings.createMissingRoutes()) {
                for (RouteTable table : tables) {
                    if (route(table).isEmpty()) {
                        problems.problem("create-missing-routes", "route table " + table.routeTableId() + " of " + vpc
                                + " has no route for " + settings.cidr() + " and create-missing-routes is false: add"
                                + " the route, or set it to true");
                    }
                }
            }
            for (String table : settings.routeTables().orElse(List.of())) {
                if (byId.containsKey(table)) {
                    if (!settings.createMissingRoutes() && route(byId.get(table)).isEmpty()) {
                        problems.problem("route-tables", "route table " + table + " has no route for " + settings.cidr()
                                + " and create-missing-routes is false: add the route, or set it to true");
                    }
                    continue;
                }
                problems.problem("route-tables", whereIs(calls, ec2, table, vpc));
            }
        } finally {
            calls.noteCalls("verify");
        }
    }

    /** Why {@code table} is not among {@code vpc}'s route tables: it does not exist, or belongs to another VPC. */
    private String whereIs(AwsOperation calls, Ec2Client ec2, String table, String vpc) {
        try {
            List<RouteTable> found = calls.act(DESCRIBE_ROUTE_TABLES, limits -> ec2.describeRouteTables(request ->
                    request.routeTableIds(table).overrideConfiguration(limits))).routeTables();
            if (!found.isEmpty()) {
                return "route table " + table + " belongs to " + found.get(0).vpcId() + ", not to " + vpc
                        + " (the VPC of this node's network interface" + (settings.vpcId().isPresent() ? " and vpc-id"
                        : "") + ")";
            }
        } catch (AwsException e) {
            if (!e.is("InvalidRouteTableID.NotFound") && !e.is("InvalidRouteTableId.NotFound")) {
                throw e;
            }
        }
        return "unknown route table " + table + ": it does not exist in this account and region";
    }

    private Ec2Node node(OperationContext context) {
        return type.nodes().resolve(context.node(), aws.region(), settings.localAddress(), context.deadline());
    }

    /** The VPC of the routes: vpc-id, or that of this node's interface (read once, then remembered). */
    private String vpc(AwsOperation calls, Ec2Client ec2, Ec2Node node, boolean checking) {
        if (settings.vpcId().isPresent()) {
            return settings.vpcId().get();
        }
        String known = type.vpcOfInterface().get(node.eni());
        if (known != null) {
            return known;
        }
        NetworkInterface eni;
        if (checking) {
            eni = calls.ask(DESCRIBE_NETWORK_INTERFACES, limits -> ec2.describeNetworkInterfaces(request -> request
                    .networkInterfaceIds(node.eni()).overrideConfiguration(limits))).networkInterfaces().stream()
                    .findFirst().orElseThrow(() -> new KawariException(ErrorCode.INVALID_CONFIGURATION, false,
                            "network interface " + node.eni() + " of node '" + node.name() + "' was not found"));
        } else {
            eni = Ec2Interfaces.describe(calls, ec2, node.eni()).orElseThrow(() -> new KawariException(
                    ErrorCode.INVALID_CONFIGURATION, false, "network interface " + node.eni() + " of node '"
                            + node.name() + "' does not exist in " + node.region()));
        }
        type.vpcOfInterface().put(node.eni(), eni.vpcId());
        return eni.vpcId();
    }


    private static List<RouteTable> describe(AwsOperation calls, Ec2Client ec2, String vpc) {
        return calls.act(DESCRIBE_ROUTE_TABLES, limits -> describeCall(ec2, vpc, limits));
    }

    /** Every route table of {@code vpc}, all pages; routes are matched here, not by filters (moto lacks route.*). */
    private static List<RouteTable> describeCall(Ec2Client ec2, String vpc,
            java.util.function.Consumer<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder> limits) {
        List<RouteTable> tables = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            var response = ec2.describeRouteTables(request -> request
                    .filters(Filter.builder().name("vpc-id").values(vpc).build())
                    .nextToken(page)
                    .overrideConfiguration(limits));
            tables.addAll(response.routeTables());
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return List.copyOf(tables);
    }

    private List<String> targetTables(List<RouteTable> tables, String vpc) {
        Map<String, RouteTable> byId = byId(tables);
        if (settings.routeTables().isEmpty()) {
            if (tables.isEmpty()) {
                throw new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "route-tables is auto but " + vpc
                        + " has no route tables");
            }
            return List.copyOf(byId.keySet());
        }
        List<String> missing = settings.routeTables().get().stream().filter(table -> !byId.containsKey(table)).toList();
        if (!missing.isEmpty()) {
            throw new KawariException(ErrorCode.INVALID_CONFIGURATION, false, "route table(s) " + missing
                    + " are not in " + vpc + " (kawari validate --live names the cause)");
        }
        return settings.routeTables().get();
    }

    private static Map<String, RouteTable> byId(List<RouteTable> tables) {
        Map<String, RouteTable> byId = new LinkedHashMap<>();
        tables.forEach(table -> byId.put(table.routeTableId(), table));
        return byId;
    }

    private Optional<Route> route(RouteTable table) {
        return table.routes().stream().filter(route -> settings.cidr().equals(route.destinationCidrBlock())).findFirst();
    }

    private boolean pointsHere(RouteTable table, Ec2Node node) {
        if (table == null) {
            return false;
        }
        return route(table).filter(route -> node.eni().equals(route.networkInterfaceId()))
                .filter(route -> route.state() != RouteState.BLACKHOLE)
                .isPresent();
    }

    private String describeRoute(RouteTable table) {
        if (table == null) {
            return "is gone";
        }
        Optional<Route> route = route(table);
        if (route.isEmpty()) {
            return "has no route for " + settings.cidr();
        }
        Route found = route.get();
        String target = found.networkInterfaceId() != null ? found.networkInterfaceId()
                : found.instanceId() != null ? found.instanceId()
                : found.gatewayId() != null ? found.gatewayId()
                : found.transitGatewayId() != null ? found.transitGatewayId() : "nothing";
        return "sends it to " + target + (found.state() == RouteState.BLACKHOLE ? " (blackhole)" : "");
    }

    /** The VPC's IPv4 CIDRs: the primary one and every associated (or associating) secondary one. */
    private static List<String> cidrsOf(Vpc vpc) {
        List<String> cidrs = new ArrayList<>();
        if (vpc.cidrBlock() != null) {
            cidrs.add(vpc.cidrBlock());
        }
        vpc.cidrBlockAssociationSet().stream()
                .filter(association -> association.cidrBlockState() == null
                        || List.of("associated", "associating").contains(association.cidrBlockState().stateAsString()))
                .forEach(association -> cidrs.add(association.cidrBlock()));
        return cidrs.stream().filter(Objects::nonNull).distinct().collect(Collectors.toList());
    }

    @Override
    public Duration timeout(Action action) {
        return switch (action) {
            case RESTORE, RECOVER -> settings.restoreTimeout();
            case REMOVE -> settings.removeTimeout();
            case CHECK -> settings.checkTimeout();
        };
    }

    @Override
    public void close() {
        clients.close();
    }

    @Override
    public String toString() {
        return "ec2-route-table " + label + " (" + settings.cidr() + " via " + settings.describeTables() + ")";
    }
}
