package io.cloudnexus.cluster.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The deployment read model (table {@code deployment}): written only by {@link ClusterProjector}. */
@Entity
@Table(name = "deployment")
public class DeploymentEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "account_id")
    public String accountId;

    public String image;
    public int replicas;

    /** pending, succeeded or failed. */
    public String status;

    /** Why it failed (snake_case), null otherwise. */
    public String reason;

    public String message;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
