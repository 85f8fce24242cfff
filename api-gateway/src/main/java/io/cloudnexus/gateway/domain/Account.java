package io.cloudnexus.gateway.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A customer account ({@code acc_...}): its tier and optional custom rate limit. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    @Convert(converter = TierConverter.class)
    public Tier tier;

    @Column(name = "custom_rate_limit")
    public Integer customRateLimit;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
