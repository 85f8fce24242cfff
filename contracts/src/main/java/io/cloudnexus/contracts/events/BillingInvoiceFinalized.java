package io.cloudnexus.contracts.events;

import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** billing.invoice.finalized: an invoice of a monthly period became final ({@code amountDue} in cents). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BillingInvoiceFinalized(
        @JsonProperty(required = true) String invoiceId,
        @JsonProperty(required = true) String accountId,

        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        LocalDate periodStart,

        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        LocalDate periodEnd,

        @JsonProperty(required = true) long amountDue,
        @JsonProperty(required = true) Currency currency,
        @JsonProperty(required = true) int lineItemsCount)
        implements EventData {

    public static final String TYPE = "billing.invoice.finalized";

    public enum Currency {
        USD
    }

    @Override
    public String type() {
        return TYPE;
    }
}
