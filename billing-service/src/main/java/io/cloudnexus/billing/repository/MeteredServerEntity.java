package io.cloudnexus.billing.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The current plan of a server (table {@code metered_server}), from server.created and server.scaled. */
@Entity
@Table(name = "metered_server")
public class MeteredServerEntity extends PanacheEntityBase {

    @Id
    @Column(name = "server_id")
    public String serverId;

    @Column(name = "account_id")
    public String accountId;

    public String plan;
}
