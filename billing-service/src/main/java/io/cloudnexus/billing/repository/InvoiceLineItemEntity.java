package io.cloudnexus.billing.repository;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A frozen line item of a finalized invoice (table {@code invoice_line_item}). */
@Entity
@Table(name = "invoice_line_item")
@IdClass(InvoiceLineItemEntity.Key.class)
public class InvoiceLineItemEntity extends PanacheEntityBase {

    /** The composite key (invoice, position). */
    public static class Key implements Serializable {
        public String invoiceId;
        public int position;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.invoiceId.equals(invoiceId) && k.position == position;
        }

        @Override
        public int hashCode() {
            return invoiceId.hashCode() * 31 + position;
        }
    }

    @Id
    @Column(name = "invoice_id")
    public String invoiceId;

    @Id
    public int position;

    @Column(name = "resource_type")
    public String resourceType;

    @Column(name = "resource_id")
    public String resourceId;

    public String sku;
    public String description;

    @Column(name = "usage_seconds")
    public long usageSeconds;

    @Column(name = "unit_amount")
    public int unitAmount;

    public long amount;
}
