package io.cloudnexus.compute.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The server read model (table {@code server}): written only by {@link ServerProjector}. */
@Entity
@Table(name = "server")
public class ServerEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String name;
    public String region;
    public String plan;
    public String image;
    public String status;
    public String ip;

    @Column(name = "firewall_id")
    public String firewallId;

    /** Canonical JSON array of the current firewall rules (null until the first firewall.updated). */
    @Column(name = "firewall_rules")
    public String firewallRules;

    @Column(name = "threats_detected")
    public int threatsDetected;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public int version;
}
