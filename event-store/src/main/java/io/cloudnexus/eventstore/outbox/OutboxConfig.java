package io.cloudnexus.eventstore.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Configuration of the outbox relay ({@code cloudnexus.outbox.*}); defaults in the {@code @WithDefault}s, and
 * {@code source} and {@code bootstrap-servers} in META-INF/microprofile-config.properties (they refer to other properties).
 */
@ConfigMapping(prefix = "cloudnexus.outbox")
public interface OutboxConfig {

    /** Whether this process runs a relay at all (another replica's relay still takes over if this one is off). */
    @WithDefault("true")
    boolean enabled();

    /** The Kafka topic this service publishes to (e.g. {@code compute.events}); no topic, no relay. */
    Optional<String> topic();

    /** The outbox table published ({@code event_store} unless a service has its own, like webhook-service). */
    Table table();

    /** CloudEvents {@code ce_source} of every record, e.g. {@code /cloudnexus/compute-service}. */
    String source();

    /** Kafka bootstrap servers of the relay's producer (defaults to {@code kafka.bootstrap.servers}). */
    String bootstrapServers();

    /** Sleep when the outbox is empty; a commit that appends events wakes the relay at once anyway. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Pause before retrying after Kafka or the database failed. */
    @WithDefault("1s")
    Duration retryBackoff();

    /** Events read, sent and marked per round. */
    @WithDefault("1000")
    int batchSize();

    /** PostgreSQL advisory-lock key electing the one active relay per database. */
    @WithDefault("7165491083200216001")
    long lockKey();

    /** How long one send may take (producer {@code delivery.timeout.ms}) before the round fails and retries. */
    @WithDefault("30s")
    Duration deliveryTimeout();

    /** How long a send waits for broker metadata (producer {@code max.block.ms}) while Kafka is away. */
    @WithDefault("10s")
    Duration maxBlock();

    /** Extra Kafka producer properties, e.g. {@code cloudnexus.outbox.producer."compression.type"=lz4}. */
    Map<String, String> producer();

    default RelaySettings settings() {
        return new RelaySettings(
                new OutboxTable(table().name(), table().sequenceColumn(), table().subjectColumn()),
                topic().orElseThrow(),
                source(),
                bootstrapServers(),
                pollInterval(),
                retryBackoff(),
                batchSize(),
                lockKey(),
                deliveryTimeout(),
                maxBlock(),
                producer());
    }

    /** The outbox table: its name, the column giving the publishing order, the column holding the record key. */
    interface Table {
        @WithDefault(OutboxTable.EVENT_STORE_NAME)
        String name();

        @WithDefault(OutboxTable.EVENT_STORE_SEQUENCE)
        String sequenceColumn();

        @WithDefault(OutboxTable.EVENT_STORE_SUBJECT)
        String subjectColumn();
    }
}
