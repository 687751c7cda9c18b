package dev.kawari.kit.route53;

import static dev.kawari.kit.route53.Route53ResourceType.CHANGE_RESOURCE_RECORD_SETS;
import static dev.kawari.kit.route53.Route53ResourceType.GET_CHANGE;
import static dev.kawari.kit.route53.Route53ResourceType.GET_HOSTED_ZONE;
import static dev.kawari.kit.route53.Route53ResourceType.LIST_RESOURCE_RECORD_SETS;

import dev.kawari.aws.ApiCallCounter;
import dev.kawari.aws.AwsClients;
import dev.kawari.aws.AwsException;
import dev.kawari.aws.AwsOperation;
import dev.kawari.aws.AwsSettings;
import dev.kawari.aws.Ec2Interfaces;
import dev.kawari.aws.Ec2Node;
import dev.kawari.aws.Ipv4Address;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.VPC;

/**
 * A Route 53 A record pointed at this node's address.
 *
 * <ul>
 *   <li>restore (and recover): reads the record; unless it already holds exactly this node's address
 *       with the configured TTL, {@code UPSERT}s it; then polls {@code GetChange} with growing, jittered
 *       pauses until Route 53 reports the change {@code INSYNC}, and fails with {@link #CHANGE_PENDING}
 *       when the action's deadline comes first. A restore that finds the record already right but its
 *       own earlier change still unconfirmed waits for that change.
 *   <li>remove: nothing, unless {@code sorry-address} is set: then, only while the record still points
 *       at this node, it is pointed at the sorry address (and the change awaited).
 *   <li>check: never writes. One {@code ListResourceRecordSets} per hosted zone per tick for every
 *       record of the node; Healthy only when the record holds exactly this node's address (a missing
 *       or empty record is Unhealthy, never "mine"). With {@code resolvers}, those DNS servers are asked
 *       too: one answering another address is Unhealthy once the old record's TTL has passed since this
 *       node repointed it (Unknown before); none answering is Unknown.
 * </ul>
 *
 * Every Route 53 request of the process waits for a slot of the type's request rate (Route 53 allows
 * five per second per account), and failed requests are retried with jittered backoff.
 */
final class Route53Resource implements Resource {
    /** A change was accepted but still not {@code INSYNC} when the action's deadline came. */
    static final ErrorCode CHANGE_PENDING = new ErrorCode("ROUTE53_CHANGE_PENDING", ErrorType.TIMEOUT);
    /** Something at the record's name stands in the way of an A record (a CNAME). */
    static final ErrorCode RECORD_CONFLICT = new ErrorCode("ROUTE53_RECORD_CONFLICT", ErrorType.CONFIGURATION);

    /** The first pause before asking for a change's status; it doubles up to {@link #LONGEST_POLL}. */
    static final Duration FIRST_POLL = Duration.ofSeconds(1);
    static final Duration LONGEST_POLL = Duration.ofSeconds(10);
    /** The time kept at the end of the deadline for one last status request. */
    static final Duration LAST_POLL_RESERVE = Duration.ofMillis(500);
    /** How long after the old TTL resolvers are still forgiven a stale answer. */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /** The part of a check's remaining time the DNS queries may use. */
    private static final double DNS_SHARE = 0.5;
    private static final int LONGEST_COMMENT = 256;

    /** When this node last repointed the record, and for how long resolvers may still hold the old one. */
    private record Repointed(long atNanos, long staleSeconds) {
    }

    private final String label;
    private final Route53Settings settings;
    private final AwsSettings aws;
    private final Route53ResourceType type;
    private final Route53ResourceType.ZoneKey zone;
    private final AwsClients.Lease clients;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<String> pendingChange = new AtomicReference<>();
    private final AtomicReference<Repointed> repointed = new AtomicReference<>();

    Route53Resource(String label, Route53Settings settings, AwsSettings aws, Route53ResourceType type) {
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.type = Objects.requireNonNull(type, "type");
        this.zone = new Route53ResourceType.ZoneKey(aws, settings.hostedZoneId());
        this.clients = AwsClients.lease(aws);
        type.use(zone, settings.name());
    }

    Route53Settings settings() {
        return settings;
    }

    @Override
    public void restore(OperationContext context) throws InterruptedException {
        pointHere(context, "restore");
    }

    /** Repoints the record only: remove + restore would flash the sorry address at clients for nothing. */
    @Override
    public void recover(OperationContext context) throws InterruptedException {
        pointHere(context, "recover");
    }

    private void pointHere(OperationContext context, String what) {
        AwsOperation calls = calls(context);
        try {
            Ec2Node node = node(context);
            Ipv4Address address = type.addresses().forAction(settings.addressOf(node.name()), node, aws, clients, calls);
            Route53Client route53 = clients.route53(node.region());
            RecordState before = read(calls, route53);
            refuseConflicts(before);
            Map<String, String> details = Map.of("name", settings.name().text(), "address", address.toString(),
                    "hosted-zone-id", settings.hostedZoneId());
            if (before.pointsOnlyAt(address.toString()) && before.ttl().orElse(-1L) == settings.ttlSeconds()) {
                String earlier = pendingChange.get();
                if (earlier != null) {
                    waitInSync(calls, route53, earlier, ChangeStatus.PENDING, context,
                            "UPSERT " + settings.name() + " A " + address);
                    pendingChange.compareAndSet(earlier, null);
                }
                context.events().note(what + ": " + settings.name() + " already points at " + address + " ("
                        + node.name() + ")", details);
                return;
            }
            String change = upsert(calls, route53, address, context, what + " on " + node.name());
            repointed.set(new Repointed(context.time().nanoTime(),
                    Math.max(before.ttl().orElse(0L), settings.ttlSeconds())));
            context.events().note(what + ": " + settings.name() + " now points at " + address + " (" + node.name()
                    + "; it " + before.describe() + "); change " + change + " is INSYNC", details);
        } finally {
            calls.noteCalls(what);
        }
    }

    @Override
    public void remove(OperationContext context) throws InterruptedException {
        if (settings.sorryAddress().isEmpty()) {
            return; // the next holder's restore repoints the record
        }
        Ipv4Address sorry = settings.sorryAddress().get();
        AwsOperation calls = calls(context);
        try {
            Ec2Node node = node(context);
            Ipv4Address address = type.addresses().forAction(settings.addressOf(node.name()), node, aws, clients, calls);
            Route53Client route53 = clients.route53(node.region());
            RecordState before = read(calls, route53);
            if (!before.pointsOnlyAt(address.toString())) {
                context.events().note("remove: " + settings.name() + " " + before.describe() + ", not at this node's "
                        + address + ": left alone", Map.of("name", settings.name().text()));
                return;
            }
            String change = upsert(calls, route53, sorry, context, "remove on " + node.name());
            context.events().note("remove: " + settings.name() + " now points at the sorry address " + sorry
                    + "; change " + change + " is INSYNC", Map.of("name", settings.name().text(), "address",
                            sorry.toString()));
        } finally {
            calls.noteCalls("remove");
        }
    }

    /** UPSERTs the record to {@code address} and waits until the change is INSYNC; returns the change id. */
    private String upsert(AwsOperation calls, Route53Client route53, Ipv4Address address, OperationContext context,
            String why) {
        String comment = comment(why, context);
        ChangeInfo change = calls.act(CHANGE_RESOURCE_RECORD_SETS, limits -> route53.changeResourceRecordSets(request ->
                request.hostedZoneId(settings.hostedZoneId())
                        .changeBatch(batch -> batch.comment(comment).changes(entry -> entry
                                .action(ChangeAction.UPSERT)
                                .resourceRecordSet(set -> set.name(settings.name().text()).type(RRType.A)
                                        .ttl(settings.ttlSeconds())
                                        .resourceRecords(ResourceRecord.builder().value(address.toString()).build()))))
                        .overrideConfiguration(limits))).changeInfo();
        type.records().forget(zone);
        String id = changeId(change.id());
        pendingChange.set(id);
        waitInSync(calls, route53, id, change.status(), context, "UPSERT " + settings.name() + " A " + address);
        pendingChange.compareAndSet(id, null);
        return id;
    }

    /**
     * Polls the change until Route 53 reports it INSYNC: pauses start at {@link #FIRST_POLL} and double up
     * to {@link #LONGEST_POLL}, each drawn from the upper half of its range (jitter, so that nodes and
     * records do not poll in step); the last pause is shortened so that one final request fits before
     * the deadline. Never an unbounded loop.
     */
    private void waitInSync(AwsOperation calls, Route53Client route53, String id, ChangeStatus first,
            OperationContext context, String what) {
        ChangeStatus status = first;
        Duration ceiling = FIRST_POLL;
        int polls = 0;
        long started = context.time().nanoTime();
        while (status != ChangeStatus.INSYNC) {
            Duration pause = jitter(ceiling);
            boolean last = false;
            Duration left = context.deadline().remaining();
            if (left.compareTo(pause.plus(LAST_POLL_RESERVE)) < 0) {
                pause = left.minus(LAST_POLL_RESERVE);
                if (pause.isNegative()) {
                    throw pending(id, what, polls, started, context);
                }
                last = true;
            }
            context.pause(pause);
            status = calls.act(GET_CHANGE, limits -> route53.getChange(request -> request.id(id)
                    .overrideConfiguration(limits))).changeInfo().status();
            polls++;
            if (last && status != ChangeStatus.INSYNC) {
                throw pending(id, what, polls, started, context);
            }
            ceiling = ceiling.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : ceiling.multipliedBy(2);
        }
    }

    private KawariException pending(String id, String what, int polls, long started, OperationContext context) {
        Duration waited = Duration.ofNanos(context.time().nanoTime() - started);
        return new KawariException(CHANGE_PENDING, true, "change " + id + " (" + what + ") was still PENDING after "
                + polls + " status request(s) over " + waited.toMillis() + " ms when the deadline of "
                + context.deadline().budget() + " ran out: Route 53 accepted it but has not yet reported it on all its"
                + " DNS servers, so some clients may still get the old answer; a retried restore waits for the same"
                + " change");
    }

    /** Uniform in [d/2, d]. */
    static Duration jitter(Duration ceiling) {
        long millis = ceiling.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis - millis / 2 + 1));
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        AwsOperation calls = calls(context);
        try {
            Ec2Node node;
            Ipv4Address expected;
            try {
                node = node(context);
                expected = type.addresses().forCheck(settings.addressOf(node.name()), node, aws, clients, calls);
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "cannot tell this node's address: ");
            }
            RecordState state;
            try {
                state = sharedRead(calls, clients.route53(node.region()));
            } catch (KawariException e) {
                return Ec2Interfaces.unknownUnlessInterrupted(e, "could not read hosted zone " + settings.hostedZoneId() + ": ");
            }
            if (!state.pointsOnlyAt(expected.toString()) || state.cname().isPresent()) {
                return CheckResult.unhealthy(settings.name() + " " + state.describe() + ", not only at " + node.name()
                        + "'s " + expected + " (" + settings.addressOf(node.name()).describe() + ")");
            }
            if (settings.resolvers().isEmpty()) {
                return CheckResult.healthy();
            }
            return askResolvers(context, expected);
        } finally {
            ApiCallCounter.process().noteIfDue(ApiCallCounter.REPORT_EVERY, context.time(), context.events());
        }
    }

    private RecordState sharedRead(AwsOperation calls, Route53Client route53) {
        Route53ResourceType.ZoneRecords answer = readZone(calls, route53);
        if (!answer.asked().contains(settings.name())) {
            type.records().forget(zone); // a resource created after that read started
            answer = readZone(calls, route53);
        }
        return answer.state(settings.name());
    }

    /** The names of every resource of this zone, in one shared read per tick. */
    private Route53ResourceType.ZoneRecords readZone(AwsOperation calls, Route53Client route53) {
        OperationContext context = calls.context();
        return type.records().get(zone, calls, LIST_RESOURCE_RECORD_SETS, limits -> {
            Set<RecordName> asked = type.inUse(zone);
            asked.add(settings.name());
            return new Route53ResourceType.ZoneRecords(asked, ZoneListing.read(route53, settings.hostedZoneId(), asked,
                    limits, () -> type.rate(aws).acquire(context, LIST_RESOURCE_RECORD_SETS,
                            context.deadline().remaining())));
        });
    }

    private CheckResult askResolvers(OperationContext context, Ipv4Address expected) throws InterruptedException {
        Duration budget = Duration.ofNanos((long) (context.deadline().remaining().toNanos() * DNS_SHARE));
        List<DnsProbe.Answer> answers = DnsProbe.ask(settings.resolvers(), settings.name(), budget);
        List<String> wrong = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (DnsProbe.Answer answer : answers) {
            if (answer instanceof DnsProbe.Answer.Addresses found) {
                if (!found.addresses().equals(Set.of(expected.toString()))) {
                    wrong.add(answer.server() + " answers " + (found.addresses().isEmpty() ? "no A record"
                            : String.join(", ", found.addresses())));
                }
            } else if (answer instanceof DnsProbe.Answer.NoSuchName) {
                wrong.add(answer.server() + " answers that the name does not exist (NXDOMAIN)");
            } else if (answer instanceof DnsProbe.Answer.NoAnswer none) {
                silent.add(answer.server() + ": " + none.reason());
            }
        }
        if (!wrong.isEmpty()) {
            Repointed last = repointed.get();
            long sinceNanos = last == null ? Long.MAX_VALUE : context.time().nanoTime() - last.atNanos();
            if (last != null && sinceNanos < Duration.ofSeconds(last.staleSeconds()).plus(SETTLE).toNanos()) {
                return CheckResult.unknown("Route 53 points " + settings.name() + " at " + expected + ", but "
                        + String.join("; ", wrong) + " — resolvers may keep the old answer for its TTL of "
                        + last.staleSeconds() + " s after this node repointed it " + sinceNanos / 1_000_000 + " ms ago");
            }
            return CheckResult.unhealthy("Route 53 points " + settings.name() + " at " + expected + ", but "
                    + String.join("; ", wrong));
        }
        if (silent.size() == answers.size()) {
            return CheckResult.unknown("no DNS server answered for " + settings.name() + ": " + String.join("; ",
                    silent));
        }
        return CheckResult.healthy();
    }

    /**
     * The zone exists; the name lies in it; a private zone is associated with every client VPC (any
     * region), a public one has none listed; nothing at the name stands in the way of an A record; the
     * node's interface exists and is its instance's; the node's address can be found; the sorry address
     * is not the node's.
     */
    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        AwsOperation calls = calls(context);
        try {
            Optional<Ec2Node> resolved = Ec2Interfaces.resolveOrReport(() -> node(context), problems);
            if (resolved.isEmpty()) {
                return;
            }
            Ec2Node node = resolved.get();
            Route53Client route53 = clients.route53(node.region());
            verifyZone(calls, route53, problems);
            if (Ec2Interfaces.verifyNodeInterface(calls, clients.ec2(node.region()), node, problems).isEmpty()) {
                return; // its addresses cannot be read either
            }
            NodeAddress published = settings.addressOf(node.name());
            try {
                Ipv4Address address = type.addresses().forAction(published, node, aws, clients, calls);
                if (settings.sorryAddress().filter(address::equals).isPresent()) {
                    problems.problem("sorry-address", "sorry-address " + address + " is node '" + node.name()
                            + "''s own address: after a remove the record would still name this node");
                }
            } catch (KawariException e) {
                if (e.type() != ErrorType.CONFIGURATION) {
                    throw e;
                }
                problems.problem(settings.addresses().containsKey(node.name()) ? "addresses." + node.name()
                        : "address", e.getMessage());
            }
        } finally {
            calls.noteCalls("verify");
        }
    }

    private void verifyZone(AwsOperation calls, Route53Client route53, ProblemReporter problems) {
        GetHostedZoneResponse zoneAnswer;
        try {
            zoneAnswer = calls.act(GET_HOSTED_ZONE, limits -> route53.getHostedZone(request -> request
                    .id(settings.hostedZoneId()).overrideConfiguration(limits)));
        } catch (AwsException e) {
            if (e.is("NoSuchHostedZone") || e.is("InvalidInput")) {
                problems.problem("hosted-zone-id", "unknown hosted zone " + settings.hostedZoneId() + ": Route 53 has"
                        + " no such zone for this account (" + e.awsErrorCode().orElse("") + ")");
                return;
            }
            throw e;
        }
        Optional<RecordName> zoneName = RecordName.fromRoute53(zoneAnswer.hostedZone().name());
        String zoneText = settings.hostedZoneId() + " (" + zoneName.map(RecordName::text)
                .orElse(zoneAnswer.hostedZone().name()) + ")";
        if (zoneName.isPresent() && !settings.name().isIn(zoneName.get())) {
            problems.problem("name", "record " + settings.name() + " is not in hosted zone " + zoneText + ": its name"
                    + " must be " + zoneName.get() + " or end in ." + zoneName.get());
            return;
        }
        boolean isPrivate = zoneAnswer.hostedZone().config() != null
                && Boolean.TRUE.equals(zoneAnswer.hostedZone().config().privateZone());
        if (isPrivate) {
            Set<String> associated = new TreeSet<>();
            for (VPC vpc : zoneAnswer.vpCs()) {
                associated.add(vpc.vpcId() + " (" + vpc.vpcRegionAsString() + ")");
            }
            for (ClientVpc client : settings.clientVpcs()) {
                if (!associated.contains(client.toString())) {
                    problems.problem("client-vpcs", "client VPC " + client + " is not associated with private hosted"
                            + " zone " + zoneText + ", so its clients cannot resolve " + settings.name() + "; associate"
                            + " it (AssociateVPCWithHostedZone; for a VPC of another account, authorize the"
                            + " association first). Associated now: " + (associated.isEmpty() ? "none" : associated));
                }
            }
        } else if (!settings.clientVpcs().isEmpty()) {
            problems.problem("client-vpcs", "hosted zone " + zoneText + " is public: it answers everywhere, so"
                    + " 'client-vpcs' means nothing for it; leave it out, or use the private zone your clients"
                    + " resolve");
        }
        RecordState state = read(calls, route53);
        state.cname().ifPresent(cname -> problems.problem("name", settings.name() + " " + state.describe()
                + " in zone " + zoneText + "; an A record cannot exist beside a CNAME"));
    }

    private void refuseConflicts(RecordState state) {
        if (state.cname().isPresent()) {
            throw new KawariException(RECORD_CONFLICT, false, settings.name() + " " + state.describe() + " in hosted"
                    + " zone " + settings.hostedZoneId() + "; an A record cannot exist beside a CNAME: delete the"
                    + " CNAME or choose another name");
        }
    }

    /** The record as it is now, read afresh (actions never use the checks' shared read). */
    private RecordState read(AwsOperation calls, Route53Client route53) {
        var found = calls.act(LIST_RESOURCE_RECORD_SETS, limits -> ZoneListing.read(route53, settings.hostedZoneId(),
                List.of(settings.name()), limits, () -> { }));
        return found.containsKey(settings.name()) ? RecordState.of(found.get(settings.name())) : RecordState.ABSENT;
    }

    private AwsOperation calls(OperationContext context) {
        return clients.calls().on(context, type.rate(aws));
    }

    private Ec2Node node(OperationContext context) {
        return type.nodes().resolve(context.node(), aws.region(), false, context.deadline());
    }

    private String comment(String why, OperationContext context) {
        String comment = "kawari " + label + ": " + why + (context.epoch() > 0 ? " (epoch " + context.epoch() + ")" : "");
        return comment.length() > LONGEST_COMMENT ? comment.substring(0, LONGEST_COMMENT) : comment;
    }

    /** Route 53 answers {@code /change/C…}; GetChange wants the id alone. */
    static String changeId(String answered) {
        return answered.startsWith("/change/") ? answered.substring("/change/".length()) : answered;
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
        if (closed.compareAndSet(false, true)) {
            type.release(zone, settings.name());
            clients.close();
        }
    }

    @Override
    public String toString() {
        return "route53 " + label + " (" + settings.name() + " in " + settings.hostedZoneId() + ")";
    }
}
