package io.cloudnexus.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.IdempotencyState;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.repository.IdempotencyRepository;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code Idempotency-Key} on POST: the first request of a key runs; its answer is stored for the TTL and
 * replayed for retries with the same request; another request under the same key is 422. While the
 * first runs, a retry is 409 "in progress"; when the first reached the service but its answer never came
 * back (504, connection lost) the outcome is unknown and a retry is 409 "outcome unknown" (see
 * {@link IdempotencyState}) until a late answer is stored, or, if none comes, until the record expires:
 * the key is never released while the first request may have taken effect. Only a first request that
 * provably had no effect (the service was not reached, or answered 503) frees the key.
 */
@ApplicationScoped
public class IdempotencyService {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;
    /** Allowance for storing an answer, beyond the upstream timeouts, before an in-flight row counts as orphaned. */
    private static final Duration STORE_ALLOWANCE = Duration.ofSeconds(30);

    private final IdempotencyRepository repository;
    private final GatewayConfig.Idempotency config;
    private final Duration orphanedAfter;
    private final long retryAfterSeconds;

    public IdempotencyService(IdempotencyRepository repository, GatewayConfig config) {
        this.repository = repository;
        this.config = config.idempotency();
        // a live gateway settles its first request within these; an older in-flight row lost its replica
        this.orphanedAfter = config.upstream()
                .connectTimeout()
                .plus(config.upstream().timeout())
                .plus(config.idempotency().outcomeWait())
                .plus(STORE_ALLOWANCE);
        this.retryAfterSeconds = Math.max(1, config.upstream().retryAfter().toSeconds());
    }

    /** Checks a key's form: 1 to 255 printable ASCII characters; else 400. */
    public static void validateKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
    }

    /** The fingerprint of a request: SHA-256 over method, path and body bytes. */
    public static String fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + ' ' + path + '\n').getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a request under {@code key}. Empty: this request is the first and must run, then
     * {@link #complete}, {@link #abandon} or {@link #unknown}. Present: the stored response to replay.
     * Blocking.
     */
    public Optional<Record> begin(String accountId, String key, String fingerprint) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = Instant.now();
            Instant expires = now.plus(config.ttl());
            if (repository.tryInsert(accountId, key, fingerprint, now, expires)) {
                return Optional.empty();
            }
            Optional<Record> found = repository.find(accountId, key);
            if (found.isEmpty()) {
                continue;
            }
            Record record = found.get();
            if (record.expiresAt().isBefore(now)) {
                if (repository.takeOver(accountId, key, record.createdAt(), fingerprint, now, expires)) {
                    return Optional.empty();
                }
                continue;
            }
            if (!record.requestHash().equals(fingerprint)) {
                throw new ProblemException(
                        422,
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        "This Idempotency-Key was used for a different request; use a new key");
            }
            switch (record.state()) {
                case COMPLETED:
                    return found;
                case IN_FLIGHT:
                    if (record.createdAt().plus(orphanedAfter).isAfter(now)) {
                        throw new ProblemException(
                                409,
                                "idempotency-in-progress",
                                "Request in progress",
                                "The first request with this Idempotency-Key is still running; retry later",
                                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
                    }
                    throw outcomeUnknown(record, now);
                case UNKNOWN:
                default:
                    throw outcomeUnknown(record, now);
            }
        }
        throw new ProblemException(
                409,
                "idempotency-in-progress",
                "Request in progress",
                "The first request with this Idempotency-Key is still running; retry later",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /**
     * 409 for a first request whose outcome is not known: Retry-After is the time left for a late answer
     * of the service to be stored, after that the time until the key is released with its record.
     */
    private ProblemException outcomeUnknown(Record record, Instant now) {
        Instant lateAnswerUntil = record.createdAt().plus(orphanedAfter);
        Instant next = lateAnswerUntil.isAfter(now) ? lateAnswerUntil : record.expiresAt();
        long seconds = Math.max(1, Duration.between(now, next).toSeconds());
        return new ProblemException(
                409,
                "idempotency-outcome-unknown",
                "Outcome of the first request unknown",
                "The first request with this Idempotency-Key reached the service but its answer was not received: "
                        + "it may have taken effect. Retrying with this key answers 409 until the outcome is known "
                        + "(the service's answer is stored as soon as it arrives; otherwise the key is released "
                        + "when its record expires). Check the resource before using a new key.",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /**
     * Stores the first answer and replays it from now on; a 503 (the service did not process the request)
     * frees the key instead, so a retry runs. Also accepts a late answer for an unknown outcome. Blocking.
     */
    public void complete(String accountId, String key, int status, String contentType, String location, byte[] body) {
        if (status == 503) {
            repository.delete(accountId, key);
        } else {
            repository.complete(accountId, key, status, contentType, location, body);
        }
    }

    /** The first request provably did not reach the service (not connected, or refused): free the key. Blocking. */
    public void abandon(String accountId, String key) {
        repository.delete(accountId, key);
    }

    /** The first request reached the service but its answer did not come back: the outcome is unknown. Blocking. */
    public void unknown(String accountId, String key) {
        repository.markUnknown(accountId, key);
    }

    @Scheduled(every = "10m", delayed = "1m")
    void deleteExpired() {
        repository.deleteExpired(Instant.now());
    }
}
