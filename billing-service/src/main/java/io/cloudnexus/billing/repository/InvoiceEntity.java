package io.cloudnexus.billing.repository;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An invoice (table {@code invoice}): a draft, or finalized with frozen figures (see InvoiceProjector). */
@Entity
@Table(name = "invoice")
public class InvoiceEntity extends PanacheEntityBase {

    public static final String DRAFT = "draft";
    public static final String FINALIZED = "finalized";

    @Id
    public String id;

    @Column(name = "account_id")
    public String accountId;

    @Column(name = "period_start")
    public LocalDate periodStart;

    @Column(name = "period_end")
    public LocalDate periodEnd;

    public String status;
    public String currency;

    /** Cents; null while a draft (computed from usage on read). */
    @Column(name = "amount_due")
    public Long amountDue;

    @Column(name = "line_items_count")
    public Integer lineItemsCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finalized_at")
    public Instant finalizedAt;
}
