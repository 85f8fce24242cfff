package io.cloudnexus.webhook.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The replica's open streams and its recent events. The feed {@linkplain #publish publishes} every event it reads
 * (from every partition) once: it is kept among the recent events (newest {@code stream.recent-events}, at most
 * {@code stream.recent-age} old; a record re-sent by a producer is recognised by its id and dropped) and offered
 * to the account's streams whose filter wants it. A stream {@linkplain #attach attaches} under the same lock, so
 * every event is either in the snapshot it gets or delivered to it afterwards, never neither.
 */
@ApplicationScoped
public class StreamHub {

    private record Recent(LiveEvent event, long atNanos) {}

    private final int recentCap;
    private final long recentAgeNanos;
    private final Map<String, List<StreamSession>> byAccount = new HashMap<>();
    /** The accounts with a stream open here, readable without the lock (delivery frames ask per outcome). */
    private final Set<String> localAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final LinkedHashMap<String, Recent> recent = new LinkedHashMap<>();
    private final Counter published;
    private final Counter slowClosed;
    private int open;

    public StreamHub(WebhookConfig config, MeterRegistry registry) {
        this.recentCap = Math.max(1, config.stream().recentEvents());
        this.recentAgeNanos = config.stream().recentAge().toNanos();
        this.published = Counter.builder("webhook.stream.events")
                .description("Events the stream feed read (every partition, re-sent records dropped)")
                .register(registry);
        this.slowClosed = Counter.builder("webhook.stream.slow.closed")
                .description("Streams closed because the client did not keep up")
                .register(registry);
        registry.gauge("webhook.stream.connections", this, StreamHub::connections);
    }

    /** One event from the feed; false when it was already published (a re-sent record). */
    public synchronized boolean publish(LiveEvent event) {
        long now = System.nanoTime();
        evict(now);
        if (recent.putIfAbsent(event.id(), new Recent(event, now)) != null) {
            return false;
        }
        published.increment();
        List<StreamSession> sessions = byAccount.get(event.accountId());
        if (sessions != null) {
            Frame frame = null;
            for (StreamSession s : sessions) {
                if (s.filter().wants(event.type())) {
                    frame = frame == null ? Frame.event(event) : frame;
                    s.deliver(frame);
                }
            }
        }
        return true;
    }

    /** A delivery of one of the account's endpoints changed state (for the event type {@code eventType}). */
    public synchronized void publishDelivery(String accountId, String eventType, String json) {
        List<StreamSession> sessions = byAccount.get(accountId);
        if (sessions == null) {
            return;
        }
        Frame frame = Frame.delivery(json);
        for (StreamSession s : sessions) {
            if (s.filter().wants(eventType)) {
                s.deliver(frame);
            }
        }
    }

    /**
     * Attaches a stream; for one that resumes, returns the recent events of its account its filter wants (oldest
     * first), which it replays after the store's.
     */
    public synchronized List<LiveEvent> attach(StreamSession session) {
        byAccount
                .computeIfAbsent(session.accountId(), a -> new CopyOnWriteArrayList<>())
                .add(session);
        localAccounts.add(session.accountId());
        open++;
        if (!session.holding()) {
            return List.of();
        }
        evict(System.nanoTime());
        List<LiveEvent> snapshot = new ArrayList<>();
        for (Recent r : recent.values()) {
            if (r.event().accountId().equals(session.accountId())
                    && session.filter().wants(r.event().type())) {
                snapshot.add(r.event());
            }
        }
        return snapshot;
    }

    /** The recent event with this id of the account, if the replica still has it. */
    public synchronized LiveEvent recent(String accountId, String eventId) {
        Recent r = recent.get(eventId);
        return r != null && r.event().accountId().equals(accountId) ? r.event() : null;
    }

    /** The replay is queued: the stream goes live with the frames held meanwhile, minus those already sent. */
    public synchronized void goLive(StreamSession session, Set<String> alreadySent) {
        session.release(alreadySent);
    }

    public synchronized void detach(StreamSession session) {
        List<StreamSession> sessions = byAccount.get(session.accountId());
        if (sessions != null && sessions.remove(session)) {
            open--;
            if (sessions.isEmpty()) {
                byAccount.remove(session.accountId());
                localAccounts.remove(session.accountId());
            }
        }
    }

    /** Every open stream (for heartbeats and shutdown). */
    public synchronized List<StreamSession> sessions() {
        List<StreamSession> all = new ArrayList<>(open);
        byAccount.values().forEach(all::addAll);
        return all;
    }

    /** Whether the account has a stream open on this replica (no lock). */
    public boolean hasLocal(String accountId) {
        return localAccounts.contains(accountId);
    }

    /** Whether any stream is open on this replica (no lock). */
    public boolean anyLocal() {
        return !localAccounts.isEmpty();
    }

    public synchronized int connections() {
        return open;
    }

    void slowConsumerClosed() {
        slowClosed.increment();
    }

    private void evict(long now) {
        Iterator<Recent> it = recent.values().iterator();
        while (it.hasNext()) {
            Recent r = it.next();
            if (recent.size() > recentCap || now - r.atNanos() > recentAgeNanos) {
                it.remove();
            } else {
                return;
            }
        }
    }
}
