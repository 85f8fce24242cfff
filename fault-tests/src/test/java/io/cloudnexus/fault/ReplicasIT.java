package io.cloudnexus.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.CountingReceiver;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PlatformProcesses;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Scenario 2: three webhook-service replicas share one database and consumer group; one is killed with SIGKILL
 * mid-run. Nothing is lost, every replica made deliveries (each signs its requests with its own User-Agent),
 * and the killed replica's work resumes within 10 s: its work is (a) the deliveries leased to it in PostgreSQL
 * when it died and (b) the events on the Kafka partitions it owned that had not reached the receivers; the
 * resume gap is the longest time during which some of that work was waiting and none of it arrived.
 */
class ReplicasIT {

    private static final Pattern OWNER = Pattern.compile("client_id=\"webhook-service-([0-9a-f-]{36})\"");

    @Test
    void aKilledReplicasWorkResumesOnTheOthers() throws Exception {
        int replicas = FaultSettings.integer("fault.replicas.count", 3);
        int victimIndex = 1;
        int events = FaultSettings.integer("fault.replicas.events", 2_000);
        int endpoints = FaultSettings.integer("fault.replicas.endpoints", 5);
        int rate = FaultSettings.integer("fault.replicas.rate", 150);
        Duration resumeLimit = FaultSettings.seconds("fault.replicas.resume-seconds", 10);
        Duration drainLimit = FaultSettings.seconds("fault.replicas.drain-seconds", 30);
        Duration ready = FaultSettings.seconds("fault.ready-seconds", 120);

        KafkaProcess kafka = Fleet.kafka();
        PlatformProcesses platform = Fleet.platform("replicas");
        String db = PostgresDatabaseResource.recreate("cn_fault_replicas");
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<CountingReceiver> receivers = new ArrayList<>();
        List<ServiceProcess> fleet = new ArrayList<>();
        try (EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            fleet.addAll(Fleet.replicas(platform, "replicas", "fault-replica", replicas, db, kafka.bootstrapServers()));
            for (int i = 0; i < endpoints; i++) {
                receivers.add(CountingReceiver.start());
            }
            Fleet.startReplicas(fleet, ready);
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            Map<String, String> pathOfEndpoint = new HashMap<>();
            for (int i = 0; i < endpoints; i++) {
                String id = WebhookApi.createEndpoint(
                        fleet.get(0), account, receivers.get(i).url("/e" + i), "[\"*\"]");
                expected.put("/e" + i, new HashSet<>());
                pathOfEndpoint.put(id, "/e" + i);
            }
            Map<String, Set<TopicPartition>> assignment =
                    Fleet.awaitGroup(kafka, "replicas", replicas, Duration.ofSeconds(90));
            ServiceProcess victim = fleet.get(victimIndex);
            String owner = owner(victim);
            Set<TopicPartition> victimPartitions = assignment.get("webhook-service-" + owner);
            if (victimPartitions == null) {
                throw new AssertionError("no consumer webhook-service-" + owner + " in " + assignment.keySet());
            }
            // the other replicas see the new endpoints at their next index refresh: probe every partition until they do
            List<String> paths = new ArrayList<>(expected.keySet());
            producer.awaitEndpointsKnown(account, 3, receivers, paths, Duration.ofSeconds(60));

            AtomicInteger sentCount = new AtomicInteger();
            Thread produce = new Thread(
                    () -> {
                        long start = System.nanoTime();
                        for (int i = 0; i < events; i++) {
                            EventProducer.pace(i, rate, start);
                            producer.serverProvisioned(account, i);
                            sentCount.incrementAndGet();
                        }
                    },
                    "fault-producer");
            produce.start();

            Awaits.until(
                    () -> sentCount.get() >= events * 2 / 5, Duration.ofSeconds(events / rate + 60), "events sent");
            victim.kill();
            long killedAt = System.currentTimeMillis();
            List<CountingReceiver.Arrival> beforeKill = Awaits.arrivals(receivers);
            Set<String> held = heldBy(db, owner, pathOfEndpoint);

            produce.join(Duration.ofSeconds(events / rate + 120).toMillis());
            producer.flush();
            long lastSent = producer.sent().stream()
                    .mapToLong(EventProducer.Sent::sentAtMillis)
                    .max()
                    .orElse(0);
            producer.sent().forEach(s -> expected.values().forEach(set -> set.add(s.id())));

            // the victim's work: its leased deliveries, and its partitions' events not received before the kill
            Set<String> receivedBefore = new HashSet<>();
            beforeKill.forEach(a -> receivedBefore.add(a.path() + " " + a.eventId()));
            Map<String, Long> work = new HashMap<>(); // "path eventId" -> when it became due
            held.forEach(k -> work.put(k, killedAt));
            for (EventProducer.Sent s : producer.sent()) {
                TopicPartition tp =
                        new TopicPartition(Topics.COMPUTE_EVENTS, s.partition().get(10, TimeUnit.SECONDS));
                if (victimPartitions.contains(tp)) {
                    for (String path : expected.keySet()) {
                        String k = path + " " + s.id();
                        if (!receivedBefore.contains(k)) {
                            work.putIfAbsent(k, Math.max(killedAt, s.sentAtMillis()));
                        }
                    }
                }
            }

            List<CountingReceiver.Arrival> all = Awaits.arrivalsUntil(
                    receivers,
                    list -> Tally.of(expected, list).complete()
                            && firstArrivals(list, work.keySet(), killedAt).size() == work.size(),
                    Math.max(lastSent, killedAt) + drainLimit.toMillis());
            long deadline = System.currentTimeMillis();
            Tally tally = Tally.of(expected, all);
            Map<String, Long> arrived = firstArrivals(all, work.keySet(), killedAt);
            long gap = resumeGap(work, arrived, killedAt, deadline);
            Map<String, Integer> byAgent = new HashMap<>();
            all.forEach(a -> byAgent.merge(a.userAgent(), 1, Integer::sum));
            List<Integer> perReplica = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                perReplica.add(byAgent.getOrDefault(Fleet.userAgent(fleet.get(i).name()), 0));
            }
            boolean spread = perReplica.stream().allMatch(n -> n > 0);
            boolean pass =
                    tally.lost() == 0 && spread && gap <= resumeLimit.toMillis() && arrived.size() == work.size();
            Report.row(
                    "2 " + replicas + " replicas, one kill -9 (" + events + " x " + endpoints + ")",
                    tally.expected(),
                    tally.receivedUnique(),
                    tally.lost(),
                    tally.duplicates(),
                    "resume gap " + KillWebhookIT.ms(gap) + " (max " + resumeLimit.toSeconds() + " s)",
                    "-",
                    pass,
                    "deliveries per replica " + perReplica + "; victim's work " + work.size() + " (" + held.size()
                            + " leased, partitions " + victimPartitions.size() + "), " + arrived.size() + " resumed");

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(tally.lost()).as("deliveries lost").isZero();
            soft.assertThat(perReplica).as("deliveries made by each replica").allMatch(n -> n > 0);
            soft.assertThat(arrived.size())
                    .as("the killed replica's work that arrived")
                    .isEqualTo(work.size());
            soft.assertThat(gap)
                    .as("ms the killed replica's work waited with nothing of it arriving")
                    .isLessThanOrEqualTo(resumeLimit.toMillis());
            soft.assertAll();
        } finally {
            fleet.forEach(ServiceProcess::close);
            receivers.forEach(CountingReceiver::close);
        }
    }

    /** First arrival after {@code since} of each work item ("path eventId"). */
    static Map<String, Long> firstArrivals(List<CountingReceiver.Arrival> all, Set<String> items, long since) {
        Map<String, Long> first = new HashMap<>();
        for (CountingReceiver.Arrival a : all) {
            String k = a.path() + " " + a.eventId();
            if (a.atMillis() >= since && items.contains(k)) {
                first.merge(k, a.atMillis(), Math::min);
            }
        }
        return first;
    }

    /**
     * The longest interval in [since, end] during which at least one item was due and not yet arrived while no
     * item arrived. Items that never arrived stay pending until {@code end}.
     */
    static long resumeGap(Map<String, Long> due, Map<String, Long> arrived, long since, long end) {
        List<long[]> marks = new ArrayList<>(); // {time, +1 due / -1 arrived}
        due.forEach((k, t) -> {
            long arrival = arrived.getOrDefault(k, Long.MAX_VALUE);
            marks.add(new long[] {Math.min(t, arrival), 1});
            if (arrival != Long.MAX_VALUE) {
                marks.add(new long[] {arrival, -1});
            }
        });
        marks.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long longest = 0;
        int pending = 0;
        long quietSince = since;
        for (long[] m : marks) {
            if (m[1] < 0) {
                if (pending > 0) {
                    longest = Math.max(longest, m[0] - quietSince);
                }
                pending--;
                quietSince = m[0];
            } else {
                if (pending == 0) {
                    quietSince = Math.max(quietSince, m[0]);
                }
                pending++;
            }
        }
        if (pending > 0) {
            longest = Math.max(longest, end - quietSince);
        }
        return longest;
    }

    /** The replica's lease owner: its Kafka consumer's client id ({@code webhook-service-<owner>}) in its metrics. */
    private static String owner(ServiceProcess replica) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(replica.url("/q/metrics")))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher m = OWNER.matcher(r.body());
        if (!m.find()) {
            throw new AssertionError("no consumer client id in " + replica.name() + "'s metrics");
        }
        return m.group(1);
    }

    /** "path eventId" of every unfinished delivery leased to {@code owner}. */
    private static Set<String> heldBy(String jdbcUrl, String owner, Map<String, String> pathOfEndpoint)
            throws Exception {
        Set<String> held = new HashSet<>();
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                PreparedStatement ps = c.prepareStatement("SELECT event_id, endpoint_id FROM webhook_delivery "
                        + "WHERE lease_owner = ? AND status NOT IN ('delivered', 'dead')")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String path = pathOfEndpoint.get(rs.getString(2));
                    if (path != null) {
                        held.add(path + " " + rs.getString(1));
                    }
                }
            }
        }
        return held;
    }
}
