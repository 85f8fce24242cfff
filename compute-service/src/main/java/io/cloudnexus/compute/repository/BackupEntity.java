package io.cloudnexus.compute.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A completed backup (table {@code backup}), projected from backup.completed. */
@Entity
@Table(name = "backup")
public class BackupEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "server_id")
    public String serverId;

    @Column(name = "account_id")
    public String accountId;

    @Column(name = "size_gb")
    public int sizeGb;

    @Column(name = "duration_seconds")
    public int durationSeconds;

    @Column(name = "completed_at")
    public Instant completedAt;
}
