package io.cloudnexus.cluster;

import static io.cloudnexus.cluster.ClusterTesting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.eventstore.projection.ProjectionRebuilder;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** The read models are a pure function of the event store: a rebuild reproduces them exactly. */
@QuarkusTest
@ServiceTest
class ProjectionRebuildTest {

    @Inject
    ProjectionRebuilder rebuilder;

    @Test
    void rebuildingFromTheEventStoreReproducesClustersAndDeployments() {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-4vcpu-8gb", 2);
        as(account)
                .body("{\"image\":\"nginx:nonexistent\",\"replicas\":1}")
                .post("/clusters/k8s/" + id + "/deployments")
                .then()
                .statusCode(202);
        ClusterTesting.awaitRunning(account, id, 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "failed"
                        .equals(as(account)
                                .get("/clusters/k8s/" + id + "/deployments")
                                .jsonPath()
                                .getString("data[0].status")));
        String cluster = as(account).get("/clusters/k8s/" + id).asString();
        String deployments =
                as(account).get("/clusters/k8s/" + id + "/deployments").asString();

        assertThat(rebuilder.rebuild()).isGreaterThanOrEqualTo(5);

        assertThat(as(account).get("/clusters/k8s/" + id).asString()).isEqualTo(cluster);
        assertThat(as(account).get("/clusters/k8s/" + id + "/deployments").asString())
                .isEqualTo(deployments);
    }
}
