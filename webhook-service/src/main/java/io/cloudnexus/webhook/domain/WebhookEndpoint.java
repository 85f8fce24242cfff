package io.cloudnexus.webhook.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A webhook endpoint (subscription) of an account. The signing secrets are stored AES-GCM encrypted. */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(nullable = false)
    public String url;

    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types", nullable = false, columnDefinition = "text[]")
    public String[] eventTypes;

    @Column(nullable = false)
    @Convert(converter = EndpointStatus.TextColumn.class)
    public EndpointStatus status;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "secret_enc", nullable = false)
    public byte[] secretEnc;

    @Column(name = "previous_secret_enc")
    public byte[] previousSecretEnc;

    @Column(name = "previous_secret_until")
    public Instant previousSecretUntil;

    /** Requests per second across all replicas; null = the configured default ({@code lane.rate-per-second}). */
    @Column(name = "rate_limit")
    public Integer rateLimit;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The endpoint of {@code accountId} with this id, or null: another account's endpoint is not found. */
    public static WebhookEndpoint findOwned(String accountId, String id) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult();
    }
}
