package io.cloudnexus.fault;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PlatformProcesses;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceProcess;
import io.cloudnexus.testsupport.StreamClient;

/**
 * Scenario 7: the live event stream ({@code GET /events/stream}) across replicas. Three webhook-service replicas
 * share one database and consumer group over a compute topic of six partitions, so each one's group consumer
 * (deliveries) holds only its share, while its stream feed reads every partition. One account has a WebSocket
 * client on every replica and an SSE client on the first, and one endpoint whose receiver records the bodies;
 * another account has a WebSocket client of its own. Every client of the account must get every event exactly
 * once, each envelope byte for byte the body the receiver got; the other account only its own events; and every
 * client the delivery frames of the deliveries every replica made (they cross replicas through PostgreSQL
 * NOTIFY; the receiver tells who made a delivery by its {@code User-Agent}). Then one replica is SIGKILLed: its
 * client is closed, events go on, and the client resumes on a survivor with {@code since=<the last event it
 * got>}: it must get exactly the events it missed and the new ones, once each, and nothing it had already.
 */
class StreamReplicasIT {

    private static final String SCENARIO = "stream";

    /** A stream client of the account on one replica. */
    private record Client(String name, ServiceProcess replica, StreamClient stream) {}

    @Test
    void everyReplicaStreamsEveryEventOfTheAccountAndAKilledReplicasClientResumesOnAnother() throws Exception {
        int replicas = FaultSettings.integer("fault.stream.replicas", 3);
        int partitions = FaultSettings.integer("fault.stream.partitions", 6);
        int events = FaultSettings.integer("fault.stream.events", 300);
        int otherEvents = FaultSettings.integer("fault.stream.other-events", 10);
        int afterKill = FaultSettings.integer("fault.stream.after-kill", 50);
        Duration wait = FaultSettings.seconds("fault.stream.wait-seconds", 90);
        Duration ready = FaultSettings.seconds("fault.ready-seconds", 120);
        int victimIndex = replicas - 1;

        KafkaProcess kafka = Fleet.kafka(partitions);
        PlatformProcesses platform = Fleet.platform(SCENARIO);
        String db = PostgresDatabaseResource.recreate("cn_fault_stream");
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String other = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<ServiceProcess> fleet = new ArrayList<>();
        List<StreamClient> opened = new ArrayList<>();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            fleet.addAll(Fleet.replicas(platform, SCENARIO, "fault-stream", replicas, db, kafka.bootstrapServers()));
            Fleet.startReplicas(fleet, ready);
            List<Integer> owned = new ArrayList<>();
            for (Set<TopicPartition> held : Fleet.awaitGroup(kafka, SCENARIO, replicas, Duration.ofSeconds(90))
                    .values()) {
                owned.add((int) held.stream()
                        .filter(tp -> tp.topic().equals(Topics.COMPUTE_EVENTS))
                        .count());
            }
            String endpoint = WebhookApi.createEndpoint(fleet.get(0), account, receiver.url("/hook"), "[\"*\"]");

            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                ServiceProcess replica = fleet.get(i);
                clients.add(new Client(
                        "ws@" + replica.name(),
                        replica,
                        open(opened, StreamClient.webSocket(stream(replica, ""), as(account)))));
            }
            clients.add(new Client(
                    "sse@" + fleet.get(0).name(),
                    fleet.get(0),
                    open(opened, StreamClient.serverSentEvents(stream(fleet.get(0), ""), as(account)))));
            StreamClient otherClient =
                    open(opened, StreamClient.webSocket(stream(fleet.get(1 % replicas), ""), as(other)));

            // every replica's feed is live on every partition, every replica knows the endpoint, and delivery
            // frames flow: one round of probes (one per partition) reached the receiver and every client, events
            // and delivery frames
            Set<String> probes = new HashSet<>(producer.awaitProbes(
                    account,
                    partitions,
                    ids -> receivedIds(receiver).containsAll(ids)
                            && clients.stream()
                                    .allMatch(c -> ids(c.stream()).containsAll(ids)
                                            && deliveryFrameEvents(c.stream(), endpoint, null)
                                                    .containsAll(ids)),
                    Duration.ofSeconds(5),
                    wait));

            Set<String> first = new LinkedHashSet<>();
            Set<String> others = new LinkedHashSet<>();
            int every = Math.max(1, events / Math.max(1, otherEvents));
            for (int i = 0; i < events; i++) {
                first.add(producer.serverProvisioned(account, i).id());
                if (i % every == 0 && others.size() < otherEvents) {
                    others.add(producer.serverProvisioned(other, i).id());
                }
            }
            producer.flush();
            Awaits.within(
                    () -> receivedIds(receiver).containsAll(first)
                            && otherClient.eventIds().size() >= others.size()
                            && clients.stream()
                                    .allMatch(c -> ids(c.stream()).containsAll(first)
                                            && deliveryFrameEvents(c.stream(), endpoint, "delivered")
                                                    .containsAll(first)),
                    wait);

            Map<String, Set<String>> bodies = byEvent(receiver, ReceivedRequest::bodyAsString);
            Map<String, Set<String>> agents = byEvent(receiver, r -> r.header("user-agent"));
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(owned)
                    .as("compute partitions held by each replica's group consumer (of %d)", partitions)
                    .hasSize(replicas)
                    .allMatch(n -> n > 0 && n < partitions);
            soft.assertThat(receivedIds(receiver))
                    .as("event ids the receiver got")
                    .containsAll(first);
            int mismatches = 0;
            Map<String, List<Integer>> crossFrames = new LinkedHashMap<>();
            for (Client c : clients) {
                List<String> got = c.stream().eventIds();
                Problems p = Problems.of(got, first, probes);
                soft.assertThat(p.describe())
                        .as(
                                "%s: every event of the account exactly once (%d frames, closed: %s)",
                                c.name(), got.size(), c.stream().isClosed())
                        .isEmpty();
                List<String> wrong = envelopeMismatches(c.stream(), first, bodies);
                mismatches += wrong.size();
                soft.assertThat(wrong)
                        .as("%s: envelopes not byte-identical to the receiver's body of the same event id", c.name())
                        .isEmpty();
                Set<String> framed = deliveryFrameEvents(c.stream(), endpoint, "delivered");
                Set<String> unframed = new LinkedHashSet<>(first);
                unframed.removeAll(framed);
                soft.assertThat(unframed)
                        .as("%s: events without a 'delivered' delivery frame of the endpoint", c.name())
                        .isEmpty();
                // who made the deliveries this client saw frames of: the receiver knows by the User-Agent
                List<Integer> byReplica = new ArrayList<>();
                for (ServiceProcess replica : fleet) {
                    String agent = Fleet.userAgent(replica.name());
                    byReplica.add((int) framed.stream()
                            .filter(id -> first.contains(id)
                                    && agents.getOrDefault(id, Set.of()).contains(agent))
                            .count());
                }
                crossFrames.put(c.name(), byReplica);
                soft.assertThat(byReplica)
                        .as(
                                "%s on %s: delivery frames of the deliveries made by each replica %s (frames from other"
                                        + " replicas come through NOTIFY)",
                                c.name(),
                                c.replica().name(),
                                fleet.stream().map(ServiceProcess::name).toList())
                        .allMatch(n -> n > 0);
            }
            soft.assertThat(otherClient.eventIds())
                    .as("the other account's client: its own events only, each once")
                    .containsExactlyInAnyOrderElementsOf(others);
            soft.assertThat(otherClient.frames("delivery"))
                    .as("the other account's client: no delivery frames (it has no endpoint)")
                    .isEmpty();

            // kill -9 one replica: its client is closed; events go on; it resumes on a survivor with since
            Client victim = clients.get(victimIndex);
            fleet.get(victimIndex).kill();
            int closeCode = victim.stream().awaitClosed(Duration.ofSeconds(30));
            List<String> victimGot = victim.stream().eventIds();
            soft.assertThat(victimGot)
                    .as("events the killed replica's client got")
                    .isNotEmpty();
            if (victimGot.isEmpty()) {
                soft.assertAll();
            }
            Set<String> missed = new LinkedHashSet<>();
            for (int i = 0; i < afterKill; i++) {
                missed.add(producer.serverProvisioned(account, events + i).id());
            }
            producer.flush();
            List<Client> survivors = clients.stream().filter(c -> c != victim).toList();
            Set<String> firstAndMissed = union(first, missed);
            Awaits.within(() -> survivors.stream().allMatch(c -> ids(c.stream()).containsAll(firstAndMissed)), wait);

            String since = victimGot.get(victimGot.size() - 1);
            ServiceProcess host = fleet.get(0);
            long reconnectAt = System.currentTimeMillis();
            StreamClient resumed = open(opened, StreamClient.webSocket(stream(host, "since=" + since), as(account)));
            Set<String> later = new LinkedHashSet<>();
            for (int i = 0; i < afterKill; i++) {
                later.add(producer.serverProvisioned(account, events + afterKill + i)
                        .id());
            }
            producer.flush();
            Set<String> afterSince = union(missed, later);
            Set<String> all = union(first, afterSince);
            Awaits.within(
                    () -> ids(resumed).containsAll(afterSince)
                            && deliveryFrameEvents(resumed, endpoint, "delivered")
                                    .containsAll(later)
                            && receivedIds(receiver).containsAll(all)
                            && survivors.stream().allMatch(c -> ids(c.stream()).containsAll(all)),
                    wait);
            long resumedIn = System.currentTimeMillis() - reconnectAt;

            List<String> resumedGot = resumed.eventIds();
            Set<String> beforeSince = new LinkedHashSet<>(resumedGot);
            beforeSince.retainAll(union(first, probes));
            // The one duplicate the streams allow (docs/webhook-service.md, "The live stream"): an event the killed
            // replica's feed emitted before since although the streams' order (record timestamp, topic, partition,
            // offset) puts it after since (its record waited out stream.max-reorder-hold behind a lagging partition).
            // Any other event sent again, or any event missed, is a failure.
            Map<String, Position> positions = positions(db, account);
            Position sincePosition = positions.get(since);
            Set<String> late = new LinkedHashSet<>();
            for (String id : beforeSince) {
                Position p = positions.get(id);
                if (sincePosition != null && p != null && p.compareTo(sincePosition) > 0) {
                    late.add(id);
                }
            }
            Set<String> resentBeforeSince = new LinkedHashSet<>(beforeSince);
            resentBeforeSince.removeAll(late);
            Problems resumedProblems = Problems.of(resumedGot, afterSince, late);
            // every client of the account in the end, the killed replica's before and after it resumed as one
            Map<String, List<String>> finalIds = new LinkedHashMap<>();
            survivors.forEach(c -> finalIds.put(c.name(), c.stream().eventIds()));
            List<String> victimAll = new ArrayList<>(victimGot);
            resumedGot.stream().filter(id -> !late.contains(id)).forEach(victimAll::add);
            finalIds.put(victim.name() + " then resumed@" + host.name(), victimAll);
            long lost = 0;
            long duplicates = 0;
            for (Map.Entry<String, List<String>> e : finalIds.entrySet()) {
                Problems p = Problems.of(e.getValue(), all, probes);
                lost += p.missing().size();
                duplicates += p.duplicates().size();
                soft.assertThat(p.describe())
                        .as("%s in the end: every event of the account exactly once", e.getKey())
                        .isEmpty();
            }
            soft.assertThat(receivedIds(receiver))
                    .as("event ids the receiver got")
                    .containsAll(all);
            long expectedFrames = (long) all.size() * finalIds.size();
            // whether the resume had to cope with a store order unlike the order the client got the events in:
            // the events it had got that PostgreSQL stored after its since event
            Map<String, Long> seqs = seqs(db, account);
            long sinceSeq = seqs.getOrDefault(since, -1L);
            long storedAfterSince = victimGot.stream()
                    .filter(id -> seqs.getOrDefault(id, -1L) > sinceSeq)
                    .count();

            soft.assertThat(resumedProblems.describe())
                    .as(
                            "the client resumed with since=%s on %s: exactly the %d events it missed and the %d new"
                                    + " ones, once each",
                            since, host.name(), missed.size(), later.size())
                    .isEmpty();
            soft.assertThat(resentBeforeSince)
                    .as(
                            "events the resumed client had already got that the streams' order puts before since=%s,"
                                    + " sent again",
                            since)
                    .isEmpty();
            soft.assertThat(envelopeMismatches(resumed, afterSince, byEvent(receiver, ReceivedRequest::bodyAsString)))
                    .as("the resumed client's envelopes against the receiver's bodies")
                    .isEmpty();

            boolean pass = soft.errorsCollected().isEmpty();
            Report.row(
                    "7 event stream, " + replicas + " replicas x " + partitions + " partitions, one kill -9 (" + events
                            + " + 2 x " + afterKill + " events, " + (clients.size() + 1) + " clients)",
                    expectedFrames,
                    expectedFrames - lost,
                    lost,
                    duplicates,
                    "resumed on " + host.name() + ": " + resumedGot.size() + " events in "
                            + KillWebhookIT.ms(resumedIn),
                    "-",
                    pass,
                    "compute partitions per group consumer " + owned + "; delivery frames per client by the replica"
                            + " that delivered " + crossFrames + "; envelope mismatches " + mismatches
                            + "; killed replica's client closed with " + closeCode + "; of the " + victimGot.size()
                            + " events it had, " + storedAfterSince + " are stored after since; after since: ["
                            + resumedProblems.describe() + "], already had " + beforeSince.size()
                            + " (emitted late by the killed"
                            + " replica, after since in the streams' order: " + late.size() + ")");

            soft.assertAll();
        } finally {
            opened.forEach(StreamClient::close);
            fleet.forEach(ServiceProcess::close);
        }
    }

    /** Missing, duplicated and unexpected event ids of a client against the ids it must get once each. */
    record Problems(List<String> missing, List<String> duplicates, List<String> unexpected) {

        /** {@code allowed}: ids it may get too (at most once each), e.g. the probes. */
        static Problems of(List<String> got, Set<String> expected, Set<String> allowed) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            got.forEach(id -> counts.merge(id, 1, Integer::sum));
            List<String> missing =
                    expected.stream().filter(id -> !counts.containsKey(id)).toList();
            List<String> duplicates = new ArrayList<>();
            List<String> unexpected = new ArrayList<>();
            counts.forEach((id, n) -> {
                for (int i = 1; i < n; i++) {
                    duplicates.add(id);
                }
                if (!expected.contains(id) && !allowed.contains(id)) {
                    unexpected.add(id);
                }
            });
            return new Problems(missing, duplicates, unexpected);
        }

        /** Empty when right, else the counts and a few ids of each kind. */
        String describe() {
            List<String> parts = new ArrayList<>();
            add(parts, "missing", missing);
            add(parts, "duplicated", duplicates);
            add(parts, "unexpected", unexpected);
            return String.join("; ", parts);
        }

        private static void add(List<String> parts, String what, List<String> ids) {
            if (!ids.isEmpty()) {
                parts.add(ids.size() + " " + what + " (e.g. " + ids.subList(0, Math.min(3, ids.size())) + ")");
            }
        }
    }

    /**
     * The event ids of the client's event frames of {@code expected} whose envelope (the raw text of the frame's
     * {@code event} value) is not byte for byte the body the receiver got for that event id.
     */
    private static List<String> envelopeMismatches(
            StreamClient client, Set<String> expected, Map<String, Set<String>> bodies) {
        List<String> wrong = new ArrayList<>();
        for (String envelope : client.envelopes()) {
            String id = WebhookApi.parse(envelope).path("id").asText();
            if (!expected.contains(id)) {
                continue;
            }
            Set<String> got = bodies.getOrDefault(id, Set.of());
            boolean same = got.size() == 1
                    && Arrays.equals(
                            got.iterator().next().getBytes(StandardCharsets.UTF_8),
                            envelope.getBytes(StandardCharsets.UTF_8));
            if (!same) {
                wrong.add(id + (got.isEmpty() ? " (not received)" : got.size() > 1 ? " (bodies differ)" : ""));
            }
        }
        return wrong;
    }

    /** An event's place in the streams' order: its record's (timestamp, topic, partition, offset). */
    record Position(long timestamp, String topic, int partition, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            int c = Long.compare(timestamp, o.timestamp);
            if (c == 0) {
                c = topic.compareTo(o.topic);
            }
            if (c == 0) {
                c = Integer.compare(partition, o.partition);
            }
            return c != 0 ? c : Long.compare(offset, o.offset);
        }
    }

    /** The streams' order of each stored event of the account (webhook_event's feed columns). */
    private static Map<String, Position> positions(String jdbcUrl, String account) throws Exception {
        Map<String, Position> positions = new HashMap<>();
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                PreparedStatement ps = c.prepareStatement("SELECT event_id, feed_ts, feed_topic, feed_partition, "
                        + "feed_offset FROM webhook_event WHERE account_id = ? AND feed_ts IS NOT NULL")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.put(
                            rs.getString(1), new Position(rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getLong(5)));
                }
            }
        }
        return positions;
    }

    /** The store position ({@code webhook_event.seq}) of each stored event of the account. */
    private static Map<String, Long> seqs(String jdbcUrl, String account) throws Exception {
        Map<String, Long> seqs = new HashMap<>();
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                PreparedStatement ps =
                        c.prepareStatement("SELECT event_id, seq FROM webhook_event WHERE account_id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return seqs;
    }

    /** What the receiver got per event id ({@code webhook-id}): e.g. the bodies, the User-Agents. */
    private static Map<String, Set<String>> byEvent(
            RecordingReceiver receiver, Function<ReceivedRequest, String> what) {
        Map<String, Set<String>> byEvent = new HashMap<>();
        for (ReceivedRequest r : receiver.received()) {
            byEvent.computeIfAbsent(r.header("webhook-id"), k -> new HashSet<>())
                    .add(what.apply(r));
        }
        return byEvent;
    }

    /** The event ids of the client's delivery frames of the endpoint (with that status, or any when null). */
    private static Set<String> deliveryFrameEvents(StreamClient client, String endpoint, String status) {
        Set<String> ids = new HashSet<>();
        for (JsonNode f : client.frames("delivery")) {
            if (endpoint.equals(f.path("endpoint_id").asText())
                    && (status == null || status.equals(f.path("status").asText()))) {
                ids.add(f.path("event_id").asText());
            }
        }
        return ids;
    }

    private static Set<String> ids(StreamClient client) {
        return new HashSet<>(client.eventIds());
    }

    private static Set<String> receivedIds(RecordingReceiver receiver) {
        Set<String> ids = new HashSet<>();
        receiver.received().forEach(r -> ids.add(r.header("webhook-id")));
        return ids;
    }

    private static StreamClient open(List<StreamClient> opened, StreamClient client) {
        opened.add(client);
        return client;
    }

    private static URI stream(ServiceProcess replica, String query) {
        return URI.create(replica.url("/events/stream") + (query.isEmpty() ? "" : "?" + query));
    }

    /** The identity token of the account as the gateway mints it (read scope); minted anew for each connection. */
    private static Map<String, String> as(String account) {
        return Map.of("Authorization", "Bearer " + IdentityTokens.mint(account, "professional", Set.of("read")));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new LinkedHashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }
}
