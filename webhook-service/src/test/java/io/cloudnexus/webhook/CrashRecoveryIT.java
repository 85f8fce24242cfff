package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * The packaged service in its own JVM is killed with SIGKILL in the middle of a stream of events and
 * restarted: every event is delivered at least once to every matching endpoint, and no delivery is left
 * unfinished.
 */
class CrashRecoveryIT {

    private static final int EVENTS = 400;

    @Test
    void everyEventReachesEveryMatchingEndpointAcrossASigkill() throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_test_webhook_crash");
        Path dir = Files.createDirectories(Path.of("target/crash-it"));
        Path publicKey = dir.resolve("identity-public.pem");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(publicKey, in.readAllBytes());
        }
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);

        try (RecordingReceiver all = RecordingReceiver.start();
                RecordingReceiver servers = RecordingReceiver.start();
                TestEvents events = new TestEvents(bootstrap);
                ServiceProcess service = ServiceProcess.of(
                                Path.of("target/quarkus-app/quarkus-run.jar"), "webhook-service-crash")
                        .property("quarkus.datasource.jdbc.url", jdbcUrl)
                        .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                        .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                        .property("kafka.bootstrap.servers", bootstrap)
                        .property("cloudnexus.identity.public-key-location", "file:" + publicKey.toAbsolutePath())
                        .property("cloudnexus.webhooks.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
                        .property("cloudnexus.webhooks.outbound.allow-http", "true")
                        .property("cloudnexus.webhooks.outbound.allow-private", "true")
                        .property("cloudnexus.webhooks.retry.schedule", "0s,50ms,100ms,200ms,400ms,800ms")
                        .property("cloudnexus.webhooks.scheduler.interval", "100ms")
                        .property("cloudnexus.webhooks.scheduler.lease", "3s")
                        .property("mp.messaging.incoming.webhook-events.metadata.max.age.ms", "500")
                        .property("cloudnexus.webhooks.consumer.max-poll-records", "50")
                        .property("mp.messaging.incoming.webhook-events.session.timeout.ms", "6000")
                        .start()) {
            // the first receiver is a little slow, so requests are in flight when the process dies
            all.defaultReply(Reply.ok().after(Duration.ofMillis(5)));
            service.awaitReady(Duration.ofSeconds(90));
            createEndpoint(service, account, all.url("/all"), "[\"*\"]");
            createEndpoint(service, account, servers.url("/servers"), "[\"server.*\"]");

            List<String> published = new CopyOnWriteArrayList<>();
            List<String> serverEvents = new CopyOnWriteArrayList<>();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < EVENTS; i++) {
                    boolean server = i % 2 == 0;
                    String id = server
                            ? events.publish(
                                    Topics.COMPUTE_EVENTS,
                                    account,
                                    "server.provisioned",
                                    "srv_c" + (i % 7),
                                    TestEvents.serverProvisioned("srv_c" + (i % 7), i))
                            : events.publish(
                                    Topics.CLUSTER_EVENTS,
                                    account,
                                    "cluster.node.joined",
                                    "cls_c" + (i % 5),
                                    "{\"cluster_id\":\"cls_c" + (i % 5) + "\",\"node_id\":\"n-" + i + "\"}");
                    published.add(id);
                    if (server) {
                        serverEvents.add(id);
                    }
                    pause(3);
                }
            });
            producer.start();

            all.awaitCount(EVENTS / 4, Duration.ofSeconds(60));
            service.kill(); // SIGKILL in the middle of the stream
            int beforeRestart = all.count();
            assertThat(beforeRestart).isLessThan(EVENTS);
            service.start().awaitReady(Duration.ofSeconds(90));
            producer.join();

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(ids(all)).containsAll(published);
                        assertThat(ids(servers)).containsAll(serverEvents);
                    });
            assertThat(ids(servers)).allMatch(serverEvents::contains);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(unfinished(jdbcUrl)).isZero());
            assertThat(published).hasSize(EVENTS);
        }
    }

    private static Set<String> ids(RecordingReceiver receiver) {
        return receiver.received().stream()
                .map(r -> EventEnvelope.parse(r.bodyAsString()).id())
                .collect(Collectors.toSet());
    }

    private static long unfinished(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM webhook_delivery WHERE status <> 'delivered'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void createEndpoint(ServiceProcess service, String account, String url, String events)
            throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(service.url("/webhooks")))
                                .header("Authorization", "Bearer " + IdentityTokens.forAccount(account))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"url\":\"" + url + "\",\"events\":" + events + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
