package io.cloudnexus.eventstore.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The CloudNexus span attributes (docs/tracing.md): the ids that let one complaint be followed end to end. Ids only;
 * never a secret, key, signature or payload.
 */
public final class TraceAttributes {

    /** The public event id, {@code evt_...}. */
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudnexus.event_id");
    /** The event type, e.g. {@code server.provisioned}. */
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudnexus.event_type");
    /** The account, {@code acc_...}. */
    public static final AttributeKey<String> ACCOUNT_ID = AttributeKey.stringKey("cloudnexus.account_id");
    /** The aggregate the event is about ({@code srv_...}, {@code cls_...}): the Kafka key. */
    public static final AttributeKey<String> SUBJECT = AttributeKey.stringKey("cloudnexus.subject");

    private TraceAttributes() {}
}
