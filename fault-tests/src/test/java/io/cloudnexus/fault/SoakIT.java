package io.cloudnexus.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.CountingReceiver;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Scenario 5 (run.sh only; excluded from {@code verify}): an hour at 500 events/s, spread over accounts so that
 * no endpoint exceeds its lane's rate. Nothing is lost and the webhook-service's resident memory stays flat:
 * the mean VmRSS of the last tenth of the run is within 10% of the mean of the first tenth after warm-up.
 */
class SoakIT {

    @Test
    void anHourAtFiveHundredEventsPerSecondLosesNothingAndKeepsMemoryFlat() throws Exception {
        Duration duration = FaultSettings.seconds("fault.soak.seconds", 3600);
        int rate = FaultSettings.integer("fault.soak.rate", 500);
        int accounts = FaultSettings.integer("fault.soak.accounts", 5);
        Duration warmUp =
                FaultSettings.seconds("fault.soak.warmup-seconds", Math.min(300, duration.toSeconds() / 10.0));
        Duration sampleEvery = FaultSettings.seconds("fault.soak.sample-seconds", 10);
        double maxGrowth = FaultSettings.decimal("fault.soak.max-rss-growth", 0.10);
        Duration drainLimit = FaultSettings.seconds("fault.soak.drain-seconds", 60);

        KafkaProcess kafka = Fleet.kafka();
        String db = PostgresDatabaseResource.recreate("cn_fault_soak");
        List<CountingReceiver> receivers = new ArrayList<>();
        List<String> accountIds = new ArrayList<>();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        try (ServiceProcess webhook = Fleet.webhook(
                        Fleet.platform("soak"), "fault-soak-webhook", "soak", db, kafka.bootstrapServers());
                EventProducer producer = new EventProducer(kafka.bootstrapServers())) {
            webhook.start().awaitReady(FaultSettings.seconds("fault.ready-seconds", 120));
            for (int i = 0; i < accounts; i++) {
                CountingReceiver r = CountingReceiver.start(64);
                receivers.add(r);
                String account = ResourceIds.newId(ResourceIds.ACCOUNT);
                accountIds.add(account);
                WebhookApi.createEndpoint(webhook, account, r.url("/a" + i), "[\"*\"]");
                expected.put("/a" + i, new HashSet<>());
                producer.awaitEndpointsKnown(account, 3, List.of(r), List.of("/a" + i), Duration.ofSeconds(30));
            }
            List<long[]> rss = new ArrayList<>(); // {millis since start, KiB}
            AtomicBoolean running = new AtomicBoolean(true);
            long t0 = System.currentTimeMillis();
            Thread sampler = new Thread(
                    () -> {
                        while (running.get()) {
                            synchronized (rss) {
                                rss.add(new long[] {System.currentTimeMillis() - t0, webhook.rssKib()});
                            }
                            Awaits.within(() -> !running.get(), sampleEvery);
                        }
                    },
                    "fault-rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long total = rate * duration.toSeconds();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                EventProducer.pace(i, rate, start);
                int a = i % accounts;
                EventProducer.Sent s = producer.serverProvisioned(accountIds.get(a), i / accounts);
                expected.get("/a" + a).add(s.id());
            }
            producer.flush();
            long lastSent = System.currentTimeMillis();
            running.set(false);
            sampler.join(sampleEvery.toMillis() + 5000);

            // per-receiver tally: the paths are unique per receiver
            // cheap count first (millions of arrivals), the full tally only once the count is there
            Awaits.within(
                    () -> receivers.stream().mapToLong(CountingReceiver::count).sum() >= total
                            && Tally.of(expected, Awaits.arrivals(receivers)).complete(),
                    drainLimit);
            Tally tally = Tally.of(expected, Awaits.arrivals(receivers));
            List<Long> early = new ArrayList<>();
            List<Long> late = new ArrayList<>();
            long runMillis = lastSent - t0;
            for (long[] s : rss) {
                if (s[1] <= 0) {
                    continue;
                }
                if (s[0] >= warmUp.toMillis() && s[0] < warmUp.toMillis() + runMillis / 10) {
                    early.add(s[1]);
                } else if (s[0] >= runMillis - runMillis / 10) {
                    late.add(s[1]);
                }
            }
            double earlyMean =
                    early.stream().mapToLong(Long::longValue).average().orElse(0);
            double lateMean = late.stream().mapToLong(Long::longValue).average().orElse(0);
            double growth = earlyMean == 0 ? Double.NaN : lateMean / earlyMean - 1;
            boolean flat = !Double.isNaN(growth) && Math.abs(growth) <= maxGrowth;
            boolean pass = tally.lost() == 0 && flat;
            Report.row(
                    "5 soak " + duration.toMinutes() + " min at " + rate + "/s",
                    tally.expected(),
                    tally.receivedUnique(),
                    tally.lost(),
                    tally.duplicates(),
                    "drained " + KillWebhookIT.ms(Math.max(0, tally.lastArrivalMillis() - lastSent)),
                    "-",
                    pass,
                    String.format(
                            "RSS %.0f -> %.0f MiB (%+.1f%%, max %.0f%%), %d samples",
                            earlyMean / 1024, lateMean / 1024, 100 * growth, 100 * maxGrowth, rss.size()));
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(tally.lost()).as("deliveries lost").isZero();
            soft.assertThat(flat)
                    .as("RSS flat within %s (%.0f -> %.0f KiB)", maxGrowth, earlyMean, lateMean)
                    .isTrue();
            soft.assertAll();
        } finally {
            receivers.forEach(CountingReceiver::close);
        }
    }
}
