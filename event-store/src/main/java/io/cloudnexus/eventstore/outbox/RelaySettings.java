package io.cloudnexus.eventstore.outbox;

import java.time.Duration;
import java.util.Map;

/**
 * What one {@link OutboxRelay} needs (built from {@link OutboxConfig} in a service, or directly in tests).
 *
 * @param table the outbox table published ({@link OutboxTable#EVENT_STORE} in the event-sourced services)
 * @param topic the Kafka topic every event of this table goes to
 * @param source the CloudEvents {@code ce_source}, e.g. {@code /cloudnexus/compute-service}
 * @param bootstrapServers Kafka bootstrap servers of the producer
 * @param pollInterval how long the relay sleeps when the outbox is empty (a commit wakes it earlier)
 * @param retryBackoff pause after a failure (Kafka or database unreachable) before retrying
 * @param batchSize how many events one round reads, sends and marks
 * @param lockKey the PostgreSQL advisory-lock key that elects the one active relay per database
 * @param deliveryTimeout producer {@code delivery.timeout.ms}: how long one send may take before it fails
 * @param maxBlock producer {@code max.block.ms}: how long a send waits for metadata when the broker is away
 * @param producerOverrides extra producer properties (they win over the defaults above)
 */
public record RelaySettings(
        OutboxTable table,
        String topic,
        String source,
        String bootstrapServers,
        Duration pollInterval,
        Duration retryBackoff,
        int batchSize,
        long lockKey,
        Duration deliveryTimeout,
        Duration maxBlock,
        Map<String, String> producerOverrides) {

    /** Test-friendly defaults: short poll, backoff and timeouts. */
    public static RelaySettings quick(String topic, String source, String bootstrapServers, long lockKey) {
        return quick(OutboxTable.EVENT_STORE, topic, source, bootstrapServers, lockKey);
    }

    /** Test-friendly defaults over another outbox table. */
    public static RelaySettings quick(
            OutboxTable table, String topic, String source, String bootstrapServers, long lockKey) {
        return new RelaySettings(
                table,
                topic,
                source,
                bootstrapServers,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                500,
                lockKey,
                Duration.ofSeconds(3),
                Duration.ofSeconds(1),
                Map.of());
    }
}
