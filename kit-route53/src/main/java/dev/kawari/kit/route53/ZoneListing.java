package dev.kawari.kit.route53;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reads the record sets of several names of one hosted zone with as few {@code
 * ListResourceRecordSets} calls as possible: one page of up to {@value #PAGE} record sets, starting at
 * the first of the names in Route 53's order, usually holds them all. A name the page does not show is
 * asked again as the start of a page of its own, so that a name is reported absent only when a page
 * starting at it did not hold it (never because of a guess about Route 53's order); an absent name
 * costs one more call.
 */
final class ZoneListing {
    /** The most record sets Route 53 returns in one page. */
    static final int PAGE = 300;

    private ZoneListing() {
    }

    /**
     * The record sets of each of {@code names} that exist, by name; an absent name has no entry.
     *
     * @param limits applied to every request (the call's timeout)
     * @param beforeEachExtraPage runs before every page after the first (to wait for a request slot)
     */
    static Map<RecordName, List<ResourceRecordSet>> read(Route53Client route53, String zoneId,
            Collection<RecordName> names, Consumer<AwsRequestOverrideConfiguration.Builder> limits,
            Runnable beforeEachExtraPage) {
        Map<RecordName, List<ResourceRecordSet>> found = new HashMap<>();
        SortedSet<RecordName> unresolved = new TreeSet<>(names);
        boolean first = true;
        while (!unresolved.isEmpty()) {
            RecordName start = unresolved.first();
            if (!first) {
                beforeEachExtraPage.run();
            }
            first = false;
            ListResourceRecordSetsResponse page = route53.listResourceRecordSets(request -> request
                    .hostedZoneId(zoneId).startRecordName(start.text()).maxItems(String.valueOf(PAGE))
                    .overrideConfiguration(limits));
            unresolved.remove(start);
            for (ResourceRecordSet set : page.resourceRecordSets()) {
                Optional<RecordName> name = RecordName.fromRoute53(set.name());
                if (name.isPresent() && names.contains(name.get())) {
                    found.computeIfAbsent(name.get(), key -> new ArrayList<>()).add(set);
                    unresolved.remove(name.get());
                }
            }
        }
        return found;
    }
}
