package io.cloudnexus.contracts;

/**
 * Kafka header names for CloudEvents 1.0 in binary content mode (Kafka protocol binding).
 *
 * <p>In binary mode the record value is the event's {@code data} (canonical JSON of the data
 * object) and the event attributes travel as headers, each prefixed {@code ce_}. The record key
 * is the aggregate id (the same value as {@link #SUBJECT}) so that Kafka keeps per-aggregate
 * order. Header values are UTF-8 strings.
 *
 * <p>Mapping to the public webhook envelope ({@link EventEnvelope}): {@code ce_type} is
 * {@code event}, {@code ce_id} is {@code id}, {@code ce_time} is {@code timestamp} (formatted
 * with {@link EventEnvelope#formatTimestamp}), and the record value is {@code data}.
 */
public final class CloudEventHeaders {

    /** The CloudEvents specification version this project speaks. */
    public static final String SPEC_VERSION = "1.0";

    /** Header carrying {@link #SPEC_VERSION}. */
    public static final String SPECVERSION = "ce_specversion";

    /** Event id: {@code evt_...} from {@link EventIds}; the idempotency key. */
    public static final String ID = "ce_id";

    /** Event type, e.g. {@code server.provisioned}. */
    public static final String TYPE = "ce_type";

    /** Producer, a URI reference such as {@code /cloudnexus/compute-service}. */
    public static final String SOURCE = "ce_source";

    /** Occurrence time, RFC 3339 UTC with second precision, e.g. {@code 2025-04-15T10:32:00Z}. */
    public static final String TIME = "ce_time";

    /** The aggregate id the event is about (e.g. {@code srv_...}); also the record key. */
    public static final String SUBJECT = "ce_subject";

    /** Extension attribute: the account that owns the aggregate ({@code acc_...}). */
    public static final String ACCOUNT_ID = "ce_accountid";

    /** Content type of the record value (binary mode maps {@code datacontenttype} to it). */
    public static final String CONTENT_TYPE = "content-type";

    /** Value of {@link #CONTENT_TYPE}: the data is JSON. */
    public static final String CONTENT_TYPE_JSON = "application/json";

    private CloudEventHeaders() {}
}
