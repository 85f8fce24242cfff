package io.cloudnexus.examples.consumer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ids ({@code ce_id}) of the events already applied. In memory here, to keep the example small; a real
 * consumer stores the id in its own database in the same transaction as the event's effect (billing-service's
 * {@code consumed_event} table), so that a redelivery after a crash is recognised too.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();

    /** True the first time {@code eventId} is seen, false for a redelivery. */
    public boolean firstTime(String eventId) {
        if (ids.add(eventId)) {
            return true;
        }
        duplicates.incrementAndGet();
        return false;
    }

    /** How many distinct events were applied. */
    public int applied() {
        return ids.size();
    }

    /** How many redeliveries were ignored. */
    public int duplicates() {
        return duplicates.get();
    }
}
