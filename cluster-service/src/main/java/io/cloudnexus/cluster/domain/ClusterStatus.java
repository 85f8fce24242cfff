package io.cloudnexus.cluster.domain;

import java.util.Locale;

/** A cluster's lifecycle: provisioning (nodes still joining) -> running (all joined) -> deleted. */
public enum ClusterStatus {
    PROVISIONING,
    RUNNING,
    DELETED;

    /** The API spelling, e.g. {@code running}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
