package io.cloudnexus.webhook.stream;

import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.events.FeedPosition;
import io.cloudnexus.webhook.repository.StreamRepository;
import io.cloudnexus.webhook.repository.StreamRepository.StoredEvent;

/**
 * Opens, resumes and closes streams. {@link #open} runs before the upgrade (so its refusals are plain HTTP
 * problems): the account's cap, and where the stream resumes ({@code since}: 404 when the account has no such
 * event in the retention period). {@link #start} then replays, on a worker, what the client missed, in the streams'
 * order ({@link FeedPosition}: the same on every replica, so a client may resume on any of them), and lets the
 * stream go live with the frames held meanwhile, skipping those already sent.
 */
@ApplicationScoped
public class StreamService {

    private static final Logger LOG = Logger.getLogger(StreamService.class);

    /** Where a stream resumes: after this event, at this position in the streams' order. */
    public record Resume(String sinceId, FeedPosition since) {}

    /** An opened stream, attached to the hub and recorded, not yet bound to its connection. */
    public record Opened(StreamSession session, Resume resume, List<LiveEvent> snapshot) {}

    private final StreamRepository repository;
    private final StreamHub hub;
    private final WebhookConfig config;
    private final EngineIdentity identity;
    private final ExecutorService replays = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-stream-replay");
        t.setDaemon(true);
        return t;
    });

    public StreamService(StreamRepository repository, StreamHub hub, WebhookConfig config, EngineIdentity identity) {
        this.repository = repository;
        this.hub = hub;
        this.config = config;
        this.identity = identity;
    }

    /** The cap of open streams for the tier (the identity token's {@code tier} claim). */
    public int cap(String tier) {
        return switch (tier == null ? "" : tier) {
            case "enterprise" -> config.stream().maxConnectionsEnterprise();
            case "professional" -> config.stream().maxConnectionsProfessional();
            default -> config.stream().maxConnectionsStarter();
        };
    }

    /**
     * Blocking: checks {@code since} and the cap, records the connection and attaches it to the hub.
     *
     * @throws SQLException when PostgreSQL cannot be reached (the caller answers 503)
     */
    public Opened open(String accountId, String tier, StreamFilter filter, String since) throws SQLException {
        Resume resume = null;
        {
            if (since != null) {
                resume = resume(accountId, since);
            }
            String id = "str_" + UUID.randomUUID().toString().replace("-", "");
            int cap = cap(tier);
            if (!repository.open(
                    id, accountId, identity.owner(), cap, config.scheduler().deadAfter())) {
                throw new ProblemException(
                        429,
                        "too-many-streams",
                        "Too many streams",
                        "The account already has " + cap + " open event streams (the " + tierName(tier)
                                + " tier's limit); close one first.",
                        null);
            }
            StreamSession session =
                    new StreamSession(id, accountId, filter, config.stream().buffer(), resume != null);
            List<LiveEvent> snapshot = hub.attach(session);
            return new Opened(session, resume, snapshot);
        }
    }

    private Resume resume(String accountId, String since) throws SQLException {
        if (!EventIds.isValid(since)) {
            throw ProblemException.invalidField("since", "must be an event id (evt_...)", null);
        }
        LiveEvent recent = hub.recent(accountId, since);
        if (recent != null) {
            return new Resume(since, recent.position());
        }
        Instant kept = Instant.now().minus(config.retention().age());
        return repository
                .positionOf(accountId, since, kept)
                .map(position -> new Resume(since, position))
                .orElseThrow(() -> ProblemException.notFound("Event", since));
    }

    /** The connection is bound: replays (when resuming) on a worker, then the stream is live. */
    public void start(Opened opened) {
        if (opened.resume() == null) {
            return;
        }
        replays.execute(() -> replay(opened));
    }

    /**
     * Replays, in the streams' order, what came after {@code since}: the stored events (in batches, waiting while
     * the client's buffer is half full), except those among the recent events the stream got as a snapshot when it
     * attached, then those recent events; then releases the live events held meanwhile, minus those already sent.
     */
    private void replay(Opened opened) {
        StreamSession session = opened.session();
        FeedPosition since = opened.resume().since();
        Set<String> sent = new HashSet<>();
        try {
            Set<String> snapshotIds = new HashSet<>();
            opened.snapshot().forEach(e -> snapshotIds.add(e.id()));
            long waitMillis = config.stream().heartbeat().toMillis() * 2;
            // an event stored within the recent window may also be held live (it arrived after the attach)
            Instant recentFrom = Instant.now().minus(config.stream().recentAge());
            FeedPosition cursor = since;
            int batch = Math.max(1, config.stream().replayBatch());
            List<StoredEvent> rows;
            do {
                rows = repository.after(session.accountId(), cursor, batch);
                for (StoredEvent row : rows) {
                    cursor = row.position();
                    if (snapshotIds.contains(row.eventId()) || !session.filter().wants(row.type())) {
                        continue;
                    }
                    if (!send(
                            session,
                            new LiveEvent(
                                    row.eventId(), session.accountId(), row.type(), row.envelope(), row.position()),
                            waitMillis)) {
                        return;
                    }
                    if (!row.storedAt().isBefore(recentFrom)) {
                        sent.add(row.eventId());
                    }
                }
            } while (rows.size() == batch && !session.isClosed());
            for (LiveEvent event : opened.snapshot()) {
                if (event.position().compareTo(since) > 0
                        && !event.id().equals(opened.resume().sinceId())) {
                    if (!send(session, event, waitMillis)) {
                        return;
                    }
                }
            }
            sent.addAll(snapshotIds);
            hub.goLive(session, sent);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("replaying stream %s failed: %s", session.id(), e.getMessage());
            session.close(CloseReason.SERVER_ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close(CloseReason.GOING_AWAY);
        }
    }

    private static boolean send(StreamSession session, LiveEvent event, long waitMillis) throws InterruptedException {
        if (!session.awaitRoom(waitMillis)) {
            session.close(CloseReason.SLOW_CONSUMER);
            return false;
        }
        session.offer(Frame.event(event));
        return true;
    }

    /** The stream is gone: forget it (hub and table). */
    public void closed(StreamSession session) {
        hub.detach(session);
        if (session.closeReason() == CloseReason.SLOW_CONSUMER) {
            hub.slowConsumerClosed();
        }
        replays.execute(() -> {
            try {
                repository.close(session.id());
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("forgetting stream %s failed (it stops counting with this replica): %s", session.id(), e);
            }
        });
    }

    /** Clean stop: every stream is told to reconnect, and this replica's connections are forgotten. */
    public void shutdown() {
        for (StreamSession s : hub.sessions()) {
            s.close(CloseReason.GOING_AWAY);
        }
        replays.shutdownNow();
        try {
            repository.closeAll(identity.owner());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("forgetting this replica's streams failed: %s", e.getMessage());
        }
    }

    private static String tierName(String tier) {
        return tier == null || tier.isBlank() ? "starter" : tier.replaceAll("[^a-z]", "");
    }
}
