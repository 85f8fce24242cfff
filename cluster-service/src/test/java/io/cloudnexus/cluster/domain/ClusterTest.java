package io.cloudnexus.cluster.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.events.ClusterCreated;
import io.cloudnexus.contracts.events.ClusterDeleted;
import io.cloudnexus.contracts.events.ClusterNodeJoined;
import io.cloudnexus.contracts.events.ClusterScaled;
import io.cloudnexus.contracts.events.DeploymentFailed;
import io.cloudnexus.contracts.events.DeploymentStarted;
import io.cloudnexus.contracts.events.DeploymentSucceeded;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.testsupport.GivenWhenThen;

/** The cluster aggregate's decisions: given past events, when a command, then new events or a refusal. */
class ClusterTest {

    private static final String ID = "cls_test1";
    private static final Instant CREATED_AT = Instant.parse("2025-04-15T10:00:00Z");
    private static final Duration NODE_DELAY = Duration.ofSeconds(10);
    private static final GivenWhenThen<Cluster, NewEvent> CLUSTER = GivenWhenThen.of(
            history -> Cluster.replay(StoredEvent.history("acc_test1", Cluster.AGGREGATE, ID, CREATED_AT, history)),
            NewEvent::payload);

    /** Two nodes of 10 pods each: a capacity of 20 pods. */
    private static final ClusterCreated CREATED = new ClusterCreated(
            ID, "prod", "eu-west-1", "1.30", List.of(new ClusterCreated.NodePool("workers", "s-2vcpu-4gb", 2)));

    private static final ClusterNodeJoined FIRST_NODE =
            new ClusterNodeJoined(ID, "workers-1-abcde", "workers", "s-2vcpu-4gb", 1);
    private static final DeploymentStarted STARTED = new DeploymentStarted("dep_test1", ID, "nginx:1.27", 20);
    private static final List<String> NODE_ID = List.of("nodeId");

    @Test
    void nodesJoinOneAfterAnotherAsTheyFallDue() {
        CLUSTER.given(CREATED)
                .when(c -> c.joinDueNodes(NODE_DELAY, CREATED_AT.plusSeconds(9), 10))
                .thenNothing();
        CLUSTER.given(CREATED)
                .when(c -> c.joinDueNodes(NODE_DELAY, CREATED_AT.plusSeconds(15), 10))
                .thenIgnoring(NODE_ID, FIRST_NODE);
        CLUSTER.given(CREATED)
                .when(c -> c.joinDueNodes(NODE_DELAY, CREATED_AT.plusSeconds(60), 10))
                .thenIgnoring(NODE_ID, FIRST_NODE, new ClusterNodeJoined(ID, "any", "workers", "s-2vcpu-4gb", 2));
        CLUSTER.given(CREATED, FIRST_NODE)
                .when(c -> c.joinDueNodes(NODE_DELAY, CREATED_AT.plusSeconds(60), 10))
                .thenIgnoring(NODE_ID, new ClusterNodeJoined(ID, "any", "workers", "s-2vcpu-4gb", 2));
        CLUSTER.given(CREATED, new ClusterDeleted(ID, "eu-west-1"))
                .when(c -> c.joinDueNodes(NODE_DELAY, CREATED_AT.plusSeconds(60), 10))
                .thenNothing();
    }

    @Test
    void poolsOnlyGrow() {
        CLUSTER.given(CREATED)
                .when(c -> c.scalePool("workers", 5))
                .then(new ClusterScaled(ID, "workers", "s-2vcpu-4gb", 2, 5));
        CLUSTER.given(CREATED, new ClusterScaled(ID, "workers", "s-2vcpu-4gb", 2, 5))
                .when(c -> c.scalePool("workers", 3))
                .thenRefused(ProblemException.class, "current count (5)");
        CLUSTER.given(CREATED).when(c -> c.scalePool("workers", 2)).thenNothing();
        CLUSTER.given(CREATED).when(c -> c.scalePool("gpu", 2)).thenRefused(ProblemException.class, "'gpu'");
    }

    @Test
    void aDeploymentSucceedsWithinCapacityAndFailsBeyondItOrOnAnImageThatCannotBePulled() {
        CLUSTER.given(CREATED)
                .when(c -> List.of(c.startDeployment("nginx:1.27", 20)))
                .thenIgnoring(List.of("deploymentId"), STARTED);
        CLUSTER.given(CREATED, STARTED)
                .when(c -> c.finishDeployment("dep_test1"))
                .then(new DeploymentSucceeded("dep_test1", ID, "nginx:1.27", 20));
        CLUSTER.given(CREATED, new DeploymentStarted("dep_test1", ID, "nginx:1.27", 21))
                .when(c -> c.finishDeployment("dep_test1"))
                .then(new DeploymentFailed(
                        "dep_test1",
                        ID,
                        "nginx:1.27",
                        21,
                        DeploymentRules.INSUFFICIENT_CAPACITY,
                        "0/20 pods available: 21 replicas requested, "
                                + "the cluster's node pools run at most 20 pods"));
        CLUSTER.given(CREATED, new DeploymentStarted("dep_test1", ID, "nginx:nonexistent", 1))
                .when(c -> c.finishDeployment("dep_test1"))
                .then(new DeploymentFailed(
                        "dep_test1",
                        ID,
                        "nginx:nonexistent",
                        1,
                        DeploymentRules.IMAGE_PULL_FAILED,
                        "Failed to pull image nginx:nonexistent: manifest unknown"));
        CLUSTER.given(CREATED, STARTED, new DeploymentSucceeded("dep_test1", ID, "nginx:1.27", 20))
                .when(c -> c.finishDeployment("dep_test1"))
                .thenNothing();
    }

    @Test
    void deletingFailsPendingDeploymentsFirstAndADeletedClusterRefusesChanges() {
        ClusterDeleted deleted = new ClusterDeleted(ID, "eu-west-1");
        CLUSTER.given(CREATED, STARTED)
                .when(Cluster::delete)
                .then(
                        new DeploymentFailed(
                                "dep_test1",
                                ID,
                                "nginx:1.27",
                                20,
                                DeploymentRules.CLUSTER_DELETED,
                                "The cluster was deleted before the deployment finished"),
                        deleted);
        CLUSTER.given(CREATED, deleted).when(Cluster::delete).thenRefused(ProblemException.class, "is deleted");
        CLUSTER.given(CREATED, deleted)
                .when(c -> List.of(c.startDeployment("nginx:1.27", 1)))
                .thenRefused(ProblemException.class, "is deleted");
        CLUSTER.given(CREATED, STARTED, deleted)
                .when(c -> c.finishDeployment("dep_test1"))
                .thenNothing();
    }
}
