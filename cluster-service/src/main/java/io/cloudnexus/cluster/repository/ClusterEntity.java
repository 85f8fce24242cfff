package io.cloudnexus.cluster.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The cluster read model (table {@code cluster}): written only by {@link ClusterProjector}. */
@Entity
@Table(name = "cluster")
public class ClusterEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String name;
    public String region;

    @Column(name = "kubernetes_version")
    public String kubernetesVersion;

    public String status;

    /** Canonical JSON array of {@link io.cloudnexus.cluster.domain.NodePool}s. */
    @Column(name = "node_pools")
    public String nodePools;

    @Column(name = "node_count")
    public int nodeCount;

    /** Nodes still to join (desired minus joined, over all pools); the node joiner works while > 0. */
    @Column(name = "nodes_pending")
    public int nodesPending;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public int version;
}
