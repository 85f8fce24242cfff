package io.cloudnexus.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.repository.IdempotencyRepository;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code Idempotency-Key} on POST: the first request of a key runs; its response is stored for the
 * TTL and replayed for retries with the same request; another request under the same key is 422, a
 * retry while the first is still running 409. A 5xx outcome is not stored, so the client may retry.
 */
@ApplicationScoped
public class IdempotencyService {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyRepository repository;
    private final GatewayConfig.Idempotency config;

    public IdempotencyService(IdempotencyRepository repository, GatewayConfig config) {
        this.repository = repository;
        this.config = config.idempotency();
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
     * {@link #complete} or {@link #abandon}. Present: the stored response to replay. Blocking.
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
            boolean abandoned = record.status() == null
                    && record.createdAt().plus(config.inFlightTimeout()).isBefore(now);
            if (record.expiresAt().isBefore(now) || abandoned) {
                if (repository.takeOver(accountId, key, record.createdAt(), fingerprint, now, expires)) {
                    return Optional.empty();
                }
                continue;
            }
            if (!record.requestHash().equals(fingerprint)) {
                throw new ProblemException(422, "idempotency-key-reused", "Idempotency key reused",
                        "This Idempotency-Key was used for a different request; use a new key");
            }
            if (record.status() == null) {
                throw new ProblemException(409, "idempotency-in-progress", "Request in progress",
                        "The first request with this Idempotency-Key is still running; retry later");
            }
            return found;
        }
        throw new ProblemException(409, "idempotency-in-progress", "Request in progress",
                "The first request with this Idempotency-Key is still running; retry later");
    }

    /** Stores the first response (a 5xx is dropped so that a retry runs again). Blocking. */
    public void complete(String accountId, String key, int status, String contentType, String location, byte[] body) {
        if (status >= 500) {
            repository.delete(accountId, key);
        } else {
            repository.complete(accountId, key, status, contentType, location, body);
        }
    }

    /** The first request failed before a response: free the key. Blocking. */
    public void abandon(String accountId, String key) {
        repository.delete(accountId, key);
    }

    @Scheduled(every = "10m", delayed = "1m")
    void deleteExpired() {
        repository.deleteExpired(Instant.now());
    }
}
