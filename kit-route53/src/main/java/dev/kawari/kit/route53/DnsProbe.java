package dev.kawari.kit.route53;

import dev.kawari.aws.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The check's real DNS query: asks every configured server for the record's A addresses at once
 * (dnsjava; UDP, then TCP when the answer is truncated), and waits for all of them at most a given
 * time.
 */
final class DnsProbe {

    /** What one server said. */
    sealed interface Answer {
        DnsServer server();

        /** The server answered NOERROR with these A addresses (none: the name has no A record there). */
        record Addresses(DnsServer server, Set<String> addresses) implements Answer {
            public Addresses {
                Objects.requireNonNull(server, "server");
                addresses = Set.copyOf(addresses);
            }
        }

        /** The server says the name does not exist. */
        record NoSuchName(DnsServer server) implements Answer {
        }

        /** The server could not tell: it failed (SERVFAIL, REFUSED), did not answer in time, or could not be reached. */
        record NoAnswer(DnsServer server, String reason) implements Answer {
        }
    }

    private DnsProbe() {
    }

    /**
     * Asks every server in {@code servers} for the A records of {@code name}, each bounded by {@code
     * within}; returns the answers in the order of {@code servers}.
     *
     * @throws InterruptedException when the thread is interrupted; the queries are abandoned
     */
    static List<Answer> ask(List<DnsServer> servers, RecordName name, Duration within) throws InterruptedException {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name.text()), Type.A, DClass.IN));
        } catch (TextParseException e) {
            throw new IllegalStateException("a validated record name did not parse: " + name, e);
        }
        Duration timeout = within.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : within;
        Map<DnsServer, CompletableFuture<Message>> asked = new LinkedHashMap<>();
        for (DnsServer server : servers) {
            SimpleResolver resolver = new SimpleResolver(server.address());
            resolver.setTimeout(timeout);
            asked.put(server, resolver.sendAsync(query).toCompletableFuture());
        }
        long until = System.nanoTime() + timeout.toNanos();
        List<Answer> answers = new ArrayList<>();
        try {
            for (Map.Entry<DnsServer, CompletableFuture<Message>> entry : asked.entrySet()) {
                answers.add(answer(entry.getKey(), entry.getValue(), until, timeout));
            }
        } finally {
            asked.values().forEach(query1 -> query1.cancel(true));
        }
        return answers;
    }

    private static Answer answer(DnsServer server, CompletableFuture<Message> query, long until, Duration timeout)
            throws InterruptedException {
        Message response;
        try {
            response = query.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new Answer.NoAnswer(server, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Answer.NoAnswer(server, cause instanceof IOException ? "no answer: " + cause.getMessage()
                    : "query failed: " + cause);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer.NoSuchName(server);
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer.NoAnswer(server, "answered " + Rcode.string(rcode));
        }
        Set<String> addresses = new TreeSet<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord a) {
                String text = a.getAddress().getHostAddress();
                Ipv4Address.parse(text).ifPresent(address -> addresses.add(address.toString()));
            }
        }
        return new Answer.Addresses(server, addresses);
    }
}
