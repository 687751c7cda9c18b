package dev.kawari.kit.route53;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * What a hosted zone holds at one name, as far as a failover A record is concerned: its simple A
 * record (no routing policy, no alias), and anything that stands in its way.
 *
 * @param record the simple A record, if there is one
 * @param cname the CNAME at the name, if there is one (an A record cannot exist beside it)
 */
record RecordState(Optional<ResourceRecordSet> record, Optional<ResourceRecordSet> cname) {

    static final RecordState ABSENT = new RecordState(Optional.empty(), Optional.empty());

    /** The state of a name from the record sets Route 53 listed for it. */
    static RecordState of(List<ResourceRecordSet> sets) {
        Optional<ResourceRecordSet> simpleA = sets.stream()
                .filter(set -> set.type() == RRType.A && set.setIdentifier() == null)
                .findFirst();
        Optional<ResourceRecordSet> cname = sets.stream().filter(set -> set.type() == RRType.CNAME).findFirst();
        return new RecordState(simpleA, cname);
    }

    boolean isAlias() {
        return record.map(set -> set.aliasTarget() != null).orElse(false);
    }

    /** The record's addresses, sorted; empty without a record or for an alias. */
    Set<String> addresses() {
        Set<String> values = new TreeSet<>();
        record.filter(set -> set.aliasTarget() == null).ifPresent(set -> set.resourceRecords().stream()
                .map(ResourceRecord::value).map(String::trim).forEach(values::add));
        return values;
    }

    /** Exactly {@code address}, and nothing else: what this node's record looks like. */
    boolean pointsOnlyAt(String address) {
        return !isAlias() && addresses().equals(Set.of(address));
    }

    Optional<Long> ttl() {
        return record.map(ResourceRecordSet::ttl);
    }

    /** {@code points at [10.0.1.5]}, {@code does not exist}, …, for messages. */
    String describe() {
        if (cname.isPresent()) {
            return "is a CNAME to " + cname.get().resourceRecords().stream().map(ResourceRecord::value).toList();
        }
        if (record.isEmpty()) {
            return "has no A record";
        }
        if (isAlias()) {
            return "is an alias to " + record.get().aliasTarget().dnsName();
        }
        Set<String> values = addresses();
        return values.isEmpty() ? "has an A record without addresses" : "points at " + String.join(", ", values);
    }
}
