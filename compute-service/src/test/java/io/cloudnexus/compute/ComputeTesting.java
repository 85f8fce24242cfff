package io.cloudnexus.compute;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the compute tests: an API caller per account and a reader of compute.events. */
final class ComputeTesting {

    private ComputeTesting() {
    }

    static String newAccount() {
        return ResourceIds.newId(ResourceIds.ACCOUNT);
    }

    static RequestSpecification as(String account) {
        return given().auth().oauth2(IdentityTokens.forAccount(account)).contentType(ContentType.JSON);
    }

    static String createBody(int count) {
        return "{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\",\"count\":" + count + "}";
    }

    /** Creates one server for {@code account}; returns its id. */
    static String createServer(String account) {
        return as(account).body(createBody(1)).post("/servers").then().statusCode(201).extract().path("id");
    }

    static void awaitActive(String account, String id) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "active".equals(as(account).get("/servers/" + id).then().extract().path("status")));
    }

    /** Reads compute.events from the beginning until {@code done} holds for the records whose key is in {@code keys}. */
    static List<ConsumerRecord<String, byte[]>> readEvents(Set<String> keys,
            Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "compute-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.COMPUTE_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (keys.contains(r.key())) {
                        records.add(r);
                    }
                }
            }
        }
        return records;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
