package io.cloudnexus.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * The packaged service in its own JVM is killed with SIGKILL while it meters a backlog and restarted: every event
 * is metered exactly once in effect (uncommitted offsets are read again and deduplicated), so the usage equals
 * the events' hours to the second.
 */
class ConsumerCrashIT {

    private static final int SERVERS = 400;

    @Test
    void usageIsExactAcrossASigkillMidBacklog() throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_test_billing_crash");
        Path dir = Files.createDirectories(Path.of("target/crash-it"));
        Path publicKey = dir.resolve("identity-public.pem");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(publicKey, in.readAllBytes());
        }
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<ProducerRecord<String, byte[]>> events = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            String srv = ResourceIds.newId(ResourceIds.SERVER);
            events.add(BillingTesting.created(account, srv, "starter", "2025-02-03T00:00:00Z"));
            events.add(BillingTesting.provisioned(account, srv, "2025-02-03T00:00:00Z"));
            events.add(BillingTesting.scaled(account, srv, "starter", "professional", "2025-02-03T01:00:00Z"));
            events.add(BillingTesting.terminated(account, srv, "2025-02-03T03:00:00Z"));
        }

        try (ServiceProcess service = ServiceProcess.of(Path.of("target/quarkus-app/quarkus-run.jar"), "billing-crash")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("kafka.bootstrap.servers", bootstrap)
                .property("cloudnexus.identity.public-key-location", "file:" + publicKey.toAbsolutePath())
                .property("mp.messaging.incoming.usage-events.group.id", "billing-crash-it")
                .property("mp.messaging.incoming.usage-events.max.poll.records", "20")
                .property("mp.messaging.incoming.usage-events.session.timeout.ms", "6000")
                .start()) {
            service.awaitReady(Duration.ofSeconds(90));
            BillingTesting.send(events);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> count(jdbcUrl, "SELECT count(*) FROM consumed_event") >= 200);
            service.kill();
            long before = count(jdbcUrl, "SELECT count(*) FROM consumed_event");
            assertThat(before).isLessThan(events.size());

            service.start().awaitReady(Duration.ofSeconds(90));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> count(jdbcUrl, "SELECT count(*) FROM consumed_event") == events.size());
        }
        assertThat(count(jdbcUrl, "SELECT count(*) FROM usage_segment")).isEqualTo(2L * SERVERS);
        assertThat(count(jdbcUrl, "SELECT count(*) FROM usage_segment WHERE ended_at IS NULL"))
                .isZero();
        assertThat(count(
                        jdbcUrl,
                        "SELECT sum(extract(epoch FROM ended_at - started_at))::bigint FROM usage_segment "
                                + "WHERE sku = 'starter'"))
                .isEqualTo(3600L * SERVERS);
        assertThat(count(
                        jdbcUrl,
                        "SELECT sum(extract(epoch FROM ended_at - started_at))::bigint FROM usage_segment "
                                + "WHERE sku = 'professional'"))
                .isEqualTo(2 * 3600L * SERVERS);
        assertThat(count(jdbcUrl, "SELECT count(*) FROM invoice")).isEqualTo(1);
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
