package io.cloudnexus.billing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Helpers of the billing tests: API callers, and compute/cluster events produced straight onto their topics as
 * the services' outbox relays would (CloudEvents binary mode, explicit ce_time so hours are exact).
 */
final class BillingTesting {

    private static final EventCatalog CATALOG = EventCatalog.load();

    private BillingTesting() {}

    static String newAccount() {
        return ResourceIds.newId(ResourceIds.ACCOUNT);
    }

    static RequestSpecification as(String account) {
        return given().auth().oauth2(IdentityTokens.forAccount(account)).contentType(ContentType.JSON);
    }

    /** The account's credential with the {@code admin} scope (an account key, however privileged). */
    static RequestSpecification asAdmin(String account) {
        return given().auth()
                .oauth2(IdentityTokens.mint(account, "enterprise", Set.of("read", "write", "admin")))
                .contentType(ContentType.JSON);
    }

    /** The platform operator, as the gateway's admin API forwards it: sub and group {@code operator}. */
    static RequestSpecification asOperator() {
        return given().auth()
                .oauth2(IdentityTokens.mint("operator", "enterprise", Set.of("operator")))
                .contentType(ContentType.JSON);
    }

    /**
     * One event as a Kafka record of the topic its type belongs to; the data must validate against the catalog.
     *
     * @param time the ce_time, e.g. 2025-03-10T08:00:00Z
     */
    static ProducerRecord<String, byte[]> event(
            String type, String account, String subject, String time, String dataJson) {
        var data = CanonicalJson.parse(dataJson);
        List<String> violations = CATALOG.validate(type, data);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(type + ": " + violations);
        }
        String topic = type.startsWith("server.") || type.startsWith("backup.")
                ? Topics.COMPUTE_EVENTS
                : Topics.CLUSTER_EVENTS;
        RecordHeaders headers = new RecordHeaders();
        Map.of(
                        CloudEventHeaders.SPECVERSION,
                        CloudEventHeaders.SPEC_VERSION,
                        CloudEventHeaders.ID,
                        EventIds.newId(),
                        CloudEventHeaders.TYPE,
                        type,
                        CloudEventHeaders.SOURCE,
                        "/cloudnexus/test",
                        CloudEventHeaders.TIME,
                        time,
                        CloudEventHeaders.SUBJECT,
                        subject,
                        CloudEventHeaders.ACCOUNT_ID,
                        account,
                        CloudEventHeaders.CONTENT_TYPE,
                        CloudEventHeaders.CONTENT_TYPE_JSON)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, subject, CanonicalJson.toBytes(data), headers);
    }

    static String id(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
    }

    /** Sends the records (in order, acknowledged by the broker before returning); returns where they landed. */
    static List<RecordMetadata> send(List<ProducerRecord<String, byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            List<RecordMetadata> landed = new ArrayList<>();
            for (Future<RecordMetadata> f : sent) {
                landed.add(f.get(10, TimeUnit.SECONDS));
            }
            return landed;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge the records", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String server(String id, String... extra) {
        StringBuilder s = new StringBuilder("{\"server_id\":\"" + id + "\"");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            s.append(",\"").append(extra[i]).append("\":").append(extra[i + 1]);
        }
        return s.append('}').toString();
    }

    static ProducerRecord<String, byte[]> created(String account, String srv, String plan, String time) {
        return event(
                "server.created",
                account,
                srv,
                time,
                server(
                        srv,
                        "region",
                        "\"us-east-1\"",
                        "plan",
                        "\"" + plan + "\"",
                        "image",
                        "\"ubuntu-22.04\"",
                        "status",
                        "\"provisioning\"",
                        "ip",
                        "null"));
    }

    static ProducerRecord<String, byte[]> provisioned(String account, String srv, String time) {
        return event(
                "server.provisioned",
                account,
                srv,
                time,
                server(srv, "region", "\"us-east-1\"", "status", "\"active\"", "ip", "\"203.0.113.7\""));
    }

    static ProducerRecord<String, byte[]> scaled(String account, String srv, String from, String to, String time) {
        return event(
                "server.scaled",
                account,
                srv,
                time,
                server(srv, "previous_plan", "\"" + from + "\"", "plan", "\"" + to + "\"", "region", "\"us-east-1\""));
    }

    static ProducerRecord<String, byte[]> terminated(String account, String srv, String time) {
        return event(
                "server.terminated",
                account,
                srv,
                time,
                server(srv, "region", "\"us-east-1\"", "status", "\"terminated\""));
    }

    static ProducerRecord<String, byte[]> nodeJoined(
            String account, String cls, String node, String size, int n, String time) {
        return event(
                "cluster.node.joined",
                account,
                cls,
                time,
                "{\"cluster_id\":\"" + cls + "\",\"node_id\":\"" + node + "\",\"node_pool\":\"workers\",\"size\":\""
                        + size + "\",\"node_count\":" + n + "}");
    }

    static ProducerRecord<String, byte[]> clusterDeleted(String account, String cls, String time) {
        return event(
                "cluster.deleted", account, cls, time, "{\"cluster_id\":\"" + cls + "\",\"region\":\"eu-west-1\"}");
    }
}
