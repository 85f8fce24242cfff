package io.cloudnexus.gateway.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An API key of an account. Only its SHA-256 hash and a short display prefix are stored. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id")
    public String accountId;

    public String name;

    @Column(name = "key_prefix")
    public String keyPrefix;

    @Column(name = "key_hash")
    public String keyHash;

    /** Space-separated scopes. */
    public String scopes;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    /** When the key was last verified against the database (at most once per key cache TTL and replica). */
    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;
}
