package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.events.DeploymentStarted;
import io.cloudnexus.contracts.events.DeploymentSucceeded;
import io.cloudnexus.contracts.events.EventData;

/** The helper's own checks fail when they should (a toy aggregate: a list of past events). */
class GivenWhenThenTest {

    private static final GivenWhenThen<List<EventData>, EventData> TOY = GivenWhenThen.of(ArrayList::new, e -> e);
    private static final DeploymentStarted STARTED = new DeploymentStarted("dep_1", "cls_1", "nginx", 1);
    private static final DeploymentSucceeded SUCCEEDED = new DeploymentSucceeded("dep_1", "cls_1", "nginx", 1);

    @Test
    void thenComparesTheRecordedEventsInOrder() {
        TOY.given(STARTED).when(past -> past).then(STARTED);
        assertThatThrownBy(
                        () -> TOY.given(STARTED, SUCCEEDED).when(past -> past).then(SUCCEEDED, STARTED))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> TOY.given(STARTED).when(past -> past).thenNothing())
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void ignoredPropertiesStillCompareTheRecordType() {
        TOY.given(STARTED)
                .when(past -> past)
                .thenIgnoring(List.of("deploymentId"), new DeploymentStarted("dep_other", "cls_1", "nginx", 1));
        // same properties, another event type: not the same event
        assertThatThrownBy(() -> TOY.given(STARTED).when(past -> past).thenIgnoring(List.of("deploymentId"), SUCCEEDED))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aRefusalIsNotARecordingAndViceVersa() {
        TOY.given()
                .when(past -> {
                    throw new IllegalStateException("no such thing");
                })
                .thenRefused(IllegalStateException.class, "no such");
        assertThatThrownBy(() -> TOY.given()
                        .when(past -> {
                            throw new IllegalStateException("no such thing");
                        })
                        .thenNothing())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> TOY.given(STARTED).when(past -> past).thenRefused(IllegalStateException.class, "x"))
                .isInstanceOf(AssertionError.class);
    }
}
