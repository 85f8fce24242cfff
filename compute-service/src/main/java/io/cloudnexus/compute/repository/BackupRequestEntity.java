package io.cloudnexus.compute.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A backup that is running (table {@code backup_request}): the simulated backup system's work queue. Not a
 * projection: when it is due, the backup worker records backup.completed and deletes the row in one transaction.
 */
@Entity
@Table(name = "backup_request")
public class BackupRequestEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "server_id")
    public String serverId;

    @Column(name = "account_id")
    public String accountId;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "due_at")
    public Instant dueAt;
}
