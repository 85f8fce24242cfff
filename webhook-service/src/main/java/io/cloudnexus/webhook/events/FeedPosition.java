package io.cloudnexus.webhook.events;

import java.util.Comparator;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where an event's record is in Kafka, and the order every stream follows: (record timestamp, topic, partition,
 * offset). Every replica's feed emits events in this order and a resuming stream replays the stored events after
 * its {@code since} in the same order, so "after since" means the same on every replica.
 */
public record FeedPosition(long timestampMs, String topic, int partition, long offset)
        implements Comparable<FeedPosition> {

    private static final Comparator<FeedPosition> ORDER = Comparator.comparingLong(FeedPosition::timestampMs)
            .thenComparing(FeedPosition::topic)
            .thenComparingInt(FeedPosition::partition)
            .thenComparingLong(FeedPosition::offset);

    public static FeedPosition of(ConsumerRecord<?, ?> record) {
        return new FeedPosition(record.timestamp(), record.topic(), record.partition(), record.offset());
    }

    @Override
    public int compareTo(FeedPosition other) {
        return ORDER.compare(this, other);
    }
}
