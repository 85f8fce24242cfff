package io.cloudnexus.gateway.oauth;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An OAuth client of an account ({@code cli_...}). Only the SHA-256 of its secret is stored. */
@Entity
@Table(name = "oauth_client")
public class OAuthClient extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id")
    public String accountId;

    public String name;

    @Column(name = "secret_hash")
    public String secretHash;

    /** Space-separated scopes. */
    public String scopes;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;
}
