package io.cloudnexus.webhook.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Puts the feed's records into the streams' order ({@link io.cloudnexus.webhook.events.FeedPosition}: record
 * timestamp, topic, partition, offset) before they are published, so every replica emits the same sequence and
 * {@code since} means the same everywhere. A record is emitted when it is the smallest of the records read and
 * every other assigned partition either has a later record waiting or has nothing more to read (caught up: lag 0);
 * a record never waits longer than {@code stream.max-reorder-hold} (a partition that lags does not stop the others).
 * Used by the feed thread only.
 */
final class FeedOrder {

    private record Waiting(LiveEvent event, long readNanos) {}

    private final long maxHoldNanos;
    private final Map<TopicPartition, ArrayDeque<Waiting>> waiting = new HashMap<>();
    private int size;

    FeedOrder(Duration maxHold) {
        this.maxHoldNanos = maxHold.toNanos();
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(TopicPartition partition, LiveEvent event) {
        waiting.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(new Waiting(event, System.nanoTime()));
        size++;
    }

    /** Emits, in order, every record that no record still to be read can precede. */
    void emitReady(KafkaConsumer<?, ?> consumer, Consumer<LiveEvent> emit) {
        while (size > 0) {
            TopicPartition first = null;
            Waiting head = null;
            for (Map.Entry<TopicPartition, ArrayDeque<Waiting>> e : waiting.entrySet()) {
                Waiting w = e.getValue().peekFirst();
                if (w != null
                        && (head == null
                                || w.event().position().compareTo(head.event().position()) < 0)) {
                    first = e.getKey();
                    head = w;
                }
            }
            if (head == null) {
                return;
            }
            if (System.nanoTime() - head.readNanos() < maxHoldNanos && !othersCaughtUp(consumer, first)) {
                return;
            }
            waiting.get(first).pollFirst();
            size--;
            emit.accept(head.event());
        }
    }

    /** Every other assigned partition has a record waiting (a later one: {@code first}'s is the smallest) or none to read. */
    private boolean othersCaughtUp(KafkaConsumer<?, ?> consumer, TopicPartition first) {
        for (TopicPartition tp : consumer.assignment()) {
            if (tp.equals(first)) {
                continue;
            }
            ArrayDeque<Waiting> q = waiting.get(tp);
            if (q != null && !q.isEmpty()) {
                continue;
            }
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }
}
