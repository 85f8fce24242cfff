package io.cloudnexus.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.CountingReceiver;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PlatformProcesses;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Scenario 1: the webhook-service is killed with SIGKILL three times while events stream in for five
 * endpoints. Nothing is lost, at most 0.1% of the deliveries arrive twice, and everything is delivered within
 * 30 s of the last restart (counted from when the restarted process is ready, or from the last event sent if
 * that is later). With {@code fault.kill.database-pressure=true} another client loads PostgreSQL with writes
 * meanwhile ({@link DatabasePressure}).
 */
class KillWebhookIT {

    @Test
    void nothingIsLostAcrossRepeatedSigkills() throws Exception {
        int events = FaultSettings.integer("fault.kill.events", 20_000);
        int endpoints = FaultSettings.integer("fault.kill.endpoints", 5);
        // verify: 75 events/s (375 deliveries/s); run.sh: 150/s. A kill's duplicates are what was sent and not yet
        // recorded at that instant (rate x the writer's lag), so on a slow machine they scale with the rate
        int rate = FaultSettings.integer("fault.kill.rate", 75);
        int kills = FaultSettings.integer("fault.kill.kills", 3);
        Duration drainLimit = FaultSettings.seconds("fault.kill.drain-seconds", 30);
        double maxDuplicates = FaultSettings.decimal("fault.kill.max-duplicate-ratio", 0.001);
        Duration ready = FaultSettings.seconds("fault.ready-seconds", 120);
        boolean pressure = Boolean.getBoolean("fault.kill.database-pressure");

        KafkaProcess kafka = Fleet.kafka();
        PlatformProcesses platform = Fleet.platform("kill");
        String db = PostgresDatabaseResource.recreate("cn_fault_kill");
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<CountingReceiver> receivers = new ArrayList<>();
        try (ServiceProcess webhook =
                        Fleet.webhook(platform, "fault-kill-webhook", "kill", db, kafka.bootstrapServers());
                EventProducer producer = new EventProducer(kafka.bootstrapServers());
                DatabasePressure load = DatabasePressure.startIf(pressure)) {
            for (int i = 0; i < endpoints; i++) {
                receivers.add(CountingReceiver.start());
            }
            webhook.start().awaitReady(ready);
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            for (int i = 0; i < endpoints; i++) {
                WebhookApi.createEndpoint(webhook, account, receivers.get(i).url("/e" + i), "[\"*\"]");
                expected.put("/e" + i, new HashSet<>());
            }

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

            long lastReady = 0;
            long maxRestartMillis = 0;
            List<Long> killedAt = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                int threshold = events * k / (kills + 1);
                Awaits.until(() -> sentCount.get() >= threshold, Duration.ofSeconds(events / rate + 60), "events sent");
                webhook.kill();
                killedAt.add(System.currentTimeMillis());
                webhook.start().awaitReady(ready);
                lastReady = System.currentTimeMillis();
                maxRestartMillis = Math.max(maxRestartMillis, lastReady - killedAt.get(killedAt.size() - 1));
            }
            produce.join(Duration.ofSeconds(events / rate + 120).toMillis());
            assertThat(produce.isAlive()).as("producer finished").isFalse();
            producer.flush();
            long lastSent = producer.sent().stream()
                    .mapToLong(EventProducer.Sent::sentAtMillis)
                    .max()
                    .orElse(0);
            producer.sent().forEach(s -> expected.values().forEach(set -> set.add(s.id())));

            long from = Math.max(lastReady, lastSent);
            List<CountingReceiver.Arrival> all = Awaits.arrivalsUntil(
                    receivers, list -> Tally.of(expected, list).complete(), from + drainLimit.toMillis());
            Tally tally = Tally.of(expected, all);
            Tally.Duplicates causes = Tally.duplicatesByCause(all, killedAt);
            long drainMillis = tally.complete() ? Math.max(0, tally.lastArrivalMillis() - from) : -1;

            boolean pass = tally.lost() == 0
                    && tally.duplicateRatio() <= maxDuplicates
                    && drainMillis >= 0
                    && drainMillis <= drainLimit.toMillis();
            Report.row(
                    "1 kill -9 webhook x" + kills + " (" + events + " x " + endpoints + ")"
                            + (pressure ? ", database under write pressure" : ""),
                    tally.expected(),
                    tally.receivedUnique(),
                    tally.lost(),
                    tally.duplicates(),
                    drainMillis < 0 ? "not drained in " + drainLimit.toSeconds() + " s" : "drained " + ms(drainMillis),
                    "-",
                    pass,
                    String.format(
                            "dup %.3f%% (max %.1f%%: %s); slowest restart to ready %s",
                            100 * tally.duplicateRatio(), 100 * maxDuplicates, causes, ms(maxRestartMillis)));

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(tally.lost())
                    .as("deliveries lost (not received %s after the last restart)", drainLimit)
                    .isZero();
            soft.assertThat(tally.duplicateRatio()).as("duplicate ratio").isLessThanOrEqualTo(maxDuplicates);
            soft.assertThat(drainMillis)
                    .as("ms to drain after the last restart")
                    .isBetween(0L, drainLimit.toMillis());
            soft.assertAll();
        } finally {
            receivers.forEach(CountingReceiver::close);
        }
    }

    static String ms(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
