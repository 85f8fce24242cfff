package io.cloudnexus.cluster;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.TopicReader;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the cluster tests: an API caller per account and a reader of cluster.events. */
final class ClusterTesting {

    private ClusterTesting() {}

    static String newAccount() {
        return ResourceIds.newId(ResourceIds.ACCOUNT);
    }

    static RequestSpecification as(String account) {
        return given().auth().oauth2(IdentityTokens.forAccount(account)).contentType(ContentType.JSON);
    }

    static String body(String pools) {
        return "{\"name\":\"prod-eu\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":" + pools + "}";
    }

    /** Creates a cluster with one pool of {@code count} nodes of {@code size}; returns its id. */
    static String createCluster(String account, String size, int count) {
        return as(account)
                .body(body("[{\"name\":\"workers\",\"size\":\"" + size + "\",\"count\":" + count + "}]"))
                .post("/clusters/k8s")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static void awaitRunning(String account, String id, int nodes) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            var c = as(account).get("/clusters/k8s/" + id).then().extract().jsonPath();
            return "running".equals(c.getString("status")) && c.getInt("node_count") == nodes;
        });
    }

    static List<ConsumerRecord<String, byte[]>> events(
            String clusterId, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        return TopicReader.readUntil(Topics.CLUSTER_EVENTS, Set.of(clusterId), done, Duration.ofSeconds(30));
    }
}
