package io.cloudnexus.cluster;

import static io.cloudnexus.cluster.ClusterTesting.as;
import static io.cloudnexus.testsupport.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Clusters, node pools and deployments through the API, and what arrives on cluster.events (real Kafka and PostgreSQL). */
@QuarkusTest
@ServiceTest
class ClusterLifecycleTest {

    private static final EventCatalog CATALOG = EventCatalog.load();

    @Test
    void aClusterWithTwoPoolsOfThreeNodesRecordsSixNodeJoinedEvents() {
        String account = ClusterTesting.newAccount();
        Response created = as(account)
                .body(ClusterTesting.body("[{\"name\":\"workers\",\"size\":\"s-2vcpu-4gb\","
                        + "\"count\":3},{\"name\":\"memory\",\"size\":\"s-8vcpu-16gb\",\"count\":3}]"))
                .post("/clusters/k8s");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.jsonPath().getString("id");
        assertThat(id).startsWith("cls_");
        assertThat(created.header("Location")).isEqualTo("/clusters/k8s/" + id);
        assertThat(created.jsonPath().getString("version")).isEqualTo("1.30");
        assertThat(created.jsonPath().getInt("capacity_pods")).isEqualTo(3 * 10 + 3 * 40);
        ClusterTesting.awaitRunning(account, id, 6);
        assertThat(as(account).get("/clusters/k8s/" + id).jsonPath().getList("node_pools.joined"))
                .containsExactly(3, 3);

        List<ConsumerRecord<String, byte[]>> records = ClusterTesting.events(id, r -> r.size() >= 7);
        assertThat(records)
                .extracting(r -> header(r, CloudEventHeaders.TYPE))
                .containsExactly(
                        "cluster.created",
                        "cluster.node.joined",
                        "cluster.node.joined",
                        "cluster.node.joined",
                        "cluster.node.joined",
                        "cluster.node.joined",
                        "cluster.node.joined");
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(CATALOG.validate(header(r, CloudEventHeaders.TYPE), CanonicalJson.parse(r.value())))
                    .isEmpty();
            assertThat(header(r, CloudEventHeaders.ACCOUNT_ID)).isEqualTo(account);
            assertThat(header(r, CloudEventHeaders.SUBJECT)).isEqualTo(id);
            assertThat(header(r, CloudEventHeaders.SOURCE)).isEqualTo("/cloudnexus/cluster-service");
        }
        List<JsonNode> joined = records.subList(1, 7).stream()
                .map(r -> CanonicalJson.parse(r.value()))
                .toList();
        assertThat(joined).extracting(d -> d.path("node_count").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(joined)
                .extracting(d -> d.path("node_pool").asText())
                .containsExactly("workers", "workers", "workers", "memory", "memory", "memory");
        assertThat(joined).extracting(d -> d.path("size").asText()).containsOnly("s-2vcpu-4gb", "s-8vcpu-16gb");
        assertThat(joined).extracting(d -> d.path("node_id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void scalingANodePoolJoinsMoreNodesAndPoolsOnlyGrow() {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-4vcpu-8gb", 1);
        ClusterTesting.awaitRunning(account, id, 1);

        Response scaled = as(account).body("{\"count\":3}").put("/clusters/k8s/" + id + "/node_pools/workers");
        assertThat(scaled.statusCode()).as(scaled.asString()).isEqualTo(200);
        assertThat(scaled.jsonPath().getInt("node_pools[0].count")).isEqualTo(3);
        assertThat(scaled.jsonPath().getString("status")).isEqualTo("provisioning");
        ClusterTesting.awaitRunning(account, id, 3);

        Response shrink = as(account).body("{\"count\":2}").put("/clusters/k8s/" + id + "/node_pools/workers");
        assertThat(shrink.statusCode()).isEqualTo(400);
        assertThat(shrink.jsonPath().getString("errors[0].field")).isEqualTo("count");
        assertThat(as(account)
                        .body("{\"count\":4}")
                        .put("/clusters/k8s/" + id + "/node_pools/nope")
                        .statusCode())
                .isEqualTo(404);

        List<ConsumerRecord<String, byte[]>> records = ClusterTesting.events(id, r -> r.size() >= 5);
        assertThat(records)
                .extracting(r -> header(r, CloudEventHeaders.TYPE))
                .containsExactly(
                        "cluster.created",
                        "cluster.node.joined",
                        "cluster.scaled",
                        "cluster.node.joined",
                        "cluster.node.joined");
        JsonNode scaledEvent = CanonicalJson.parse(records.get(2).value());
        assertThat(scaledEvent.path("previous_count").asInt()).isEqualTo(1);
        assertThat(scaledEvent.path("count").asInt()).isEqualTo(3);
        assertThat(CanonicalJson.parse(records.get(4).value())
                        .path("node_count")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void deploymentsSucceedOrFailDeterministically() {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-2vcpu-4gb", 2); // capacity 2 x 10 pods
        String ok = deploy(account, id, "ghcr.io/acme/api:1.4.2", 20);
        String tooBig = deploy(account, id, "ghcr.io/acme/api:1.4.2", 21);
        String broken = deploy(account, id, "nginx:nonexistent", 1);
        String brokenRepo = deploy(account, id, "registry.example.com:5000/app:broken-build", 1);

        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        as(account)
                                .get("/clusters/k8s/" + id + "/deployments")
                                .jsonPath()
                                .getList("data.status")
                                .stream()
                                .noneMatch("pending"::equals));
        assertOutcome(account, id, ok, "succeeded", null);
        assertOutcome(account, id, tooBig, "failed", "insufficient_capacity");
        assertOutcome(account, id, broken, "failed", "image_pull_failed");
        assertOutcome(account, id, brokenRepo, "failed", "image_pull_failed");
        Response page = as(account).get("/clusters/k8s/" + id + "/deployments?limit=3");
        assertThat(page.jsonPath().getList("data.id")).containsExactly(brokenRepo, broken, tooBig);
        assertThat(page.jsonPath().getBoolean("has_more")).isTrue();
        assertThat(as(account)
                        .get("/clusters/k8s/" + id + "/deployments?limit=3&starting_after=" + tooBig)
                        .jsonPath()
                        .getList("data.id"))
                .containsExactly(ok);

        List<ConsumerRecord<String, byte[]>> records = ClusterTesting.events(
                id,
                r -> r.stream()
                                .filter(x -> header(x, CloudEventHeaders.TYPE).startsWith("deployment."))
                                .count()
                        >= 8);
        List<ConsumerRecord<String, byte[]>> deployments = records.stream()
                .filter(r -> header(r, CloudEventHeaders.TYPE).startsWith("deployment."))
                .toList();
        assertThat(deployments)
                .extracting(r -> header(r, CloudEventHeaders.TYPE))
                .containsExactlyInAnyOrder(
                        "deployment.started",
                        "deployment.started",
                        "deployment.started",
                        "deployment.started",
                        "deployment.succeeded",
                        "deployment.failed",
                        "deployment.failed",
                        "deployment.failed");
        for (ConsumerRecord<String, byte[]> r : deployments) {
            assertThat(CATALOG.validate(header(r, CloudEventHeaders.TYPE), CanonicalJson.parse(r.value())))
                    .isEmpty();
        }
        assertThat(deployments.stream()
                        .filter(r -> "deployment.failed".equals(header(r, CloudEventHeaders.TYPE)))
                        .map(r -> CanonicalJson.parse(r.value()).path("reason").asText()))
                .containsExactlyInAnyOrder("insufficient_capacity", "image_pull_failed", "image_pull_failed");
    }

    @Test
    void concurrentDeploymentsOnOneClusterWhileNodesJoinAreAllRecorded() throws Exception {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-8vcpu-16gb", 10);
        List<java.util.concurrent.Callable<Integer>> calls = IntStream.range(0, 8)
                .<java.util.concurrent.Callable<Integer>>mapToObj(i -> () -> as(account)
                        .body("{\"image\":\"nginx:1." + i + "\",\"replicas\":1}")
                        .post("/clusters/k8s/" + id + "/deployments")
                        .statusCode())
                .toList();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            for (var status : pool.invokeAll(calls)) {
                assertThat(status.get()).isEqualTo(202);
            }
        } finally {
            pool.shutdown();
        }
        ClusterTesting.awaitRunning(account, id, 10);
        assertThat(as(account)
                        .get("/clusters/k8s/" + id + "/deployments")
                        .jsonPath()
                        .getList("data"))
                .hasSize(8);
        List<ConsumerRecord<String, byte[]>> records = ClusterTesting.events(
                id,
                r -> r.stream()
                                        .filter(x -> "deployment.started".equals(header(x, CloudEventHeaders.TYPE)))
                                        .count()
                                >= 8
                        && r.stream()
                                        .filter(x -> "cluster.node.joined".equals(header(x, CloudEventHeaders.TYPE)))
                                        .count()
                                >= 10);
        assertThat(records.stream().filter(x -> "deployment.started".equals(header(x, CloudEventHeaders.TYPE))))
                .hasSize(8);
    }

    @Test
    void deletingAClusterFailsItsPendingDeploymentsAndRefusesLaterChanges() {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-2vcpu-4gb", 1);
        Response deleted = as(account).delete("/clusters/k8s/" + id);
        assertThat(deleted.statusCode()).as(deleted.asString()).isEqualTo(200);
        assertThat(deleted.jsonPath().getString("status")).isEqualTo("deleted");
        assertThat(as(account).delete("/clusters/k8s/" + id).statusCode()).isEqualTo(409);
        assertThat(as(account)
                        .body("{\"image\":\"nginx:1.27\",\"replicas\":1}")
                        .post("/clusters/k8s/" + id + "/deployments")
                        .statusCode())
                .isEqualTo(409);
        assertThat(as(account)
                        .body("{\"count\":5}")
                        .put("/clusters/k8s/" + id + "/node_pools/workers")
                        .statusCode())
                .isEqualTo(409);

        List<ConsumerRecord<String, byte[]>> records = ClusterTesting.events(
                id, r -> r.stream().anyMatch(x -> "cluster.deleted".equals(header(x, CloudEventHeaders.TYPE))));
        assertThat(records)
                .extracting(r -> header(r, CloudEventHeaders.TYPE))
                .contains("cluster.created")
                .endsWith("cluster.deleted");
        assertThat(CanonicalJson.parse(records.get(records.size() - 1).value())
                        .path("region")
                        .asText())
                .isEqualTo("eu-west-1");
    }

    @Test
    void listsClustersNewestFirstWithCursorPagination() {
        String account = ClusterTesting.newAccount();
        List<String> ids = IntStream.range(0, 3)
                .mapToObj(i -> ClusterTesting.createCluster(account, "s-2vcpu-4gb", 1))
                .toList();
        Response first = as(account).get("/clusters/k8s?limit=2");
        assertThat(first.jsonPath().getList("data.id")).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.jsonPath().getBoolean("has_more")).isTrue();
        Response second = as(account).get("/clusters/k8s?limit=2&starting_after=" + ids.get(1));
        assertThat(second.jsonPath().getList("data.id")).containsExactly(ids.get(0));
        assertThat(second.jsonPath().getBoolean("has_more")).isFalse();
        assertThat(as(ClusterTesting.newAccount())
                        .get("/clusters/k8s")
                        .jsonPath()
                        .getList("data"))
                .isEmpty();
        assertThat(as(account).get("/clusters/k8s/options").jsonPath().getList("sizes.id"))
                .containsExactly("s-2vcpu-4gb", "s-4vcpu-8gb", "s-8vcpu-16gb");
    }

    private static String deploy(String account, String cluster, String image, int replicas) {
        Response r = as(account)
                .body("{\"image\":\"" + image + "\",\"replicas\":" + replicas + "}")
                .post("/clusters/k8s/" + cluster + "/deployments");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        assertThat(r.jsonPath().getString("status")).isEqualTo("pending");
        return r.jsonPath().getString("id");
    }

    private static void assertOutcome(String account, String cluster, String dep, String status, String reason) {
        Response d = as(account).get("/clusters/k8s/" + cluster + "/deployments/" + dep);
        assertThat(d.jsonPath().getString("status")).as(dep).isEqualTo(status);
        assertThat(d.jsonPath().getString("reason")).as(dep).isEqualTo(reason);
    }
}
