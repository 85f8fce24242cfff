package io.cloudnexus.gateway.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Caller;
import io.quarkus.scheduler.Scheduled;

/**
 * Verified API keys (by hash) and account settings (by id), kept for a short TTL so the hot path
 * needs no database round trip. A revoked key is dropped at once on this replica.
 */
@ApplicationScoped
public class CredentialCache {

    private record Entry<T>(T value, long expiresAt) {}

    private final Map<String, Entry<Caller>> keys = new ConcurrentHashMap<>();
    private final Map<String, Entry<Caller>> accounts = new ConcurrentHashMap<>();
    private final long ttlNanos;

    public CredentialCache(GatewayConfig config) {
        this.ttlNanos = config.keys().cacheTtl().toNanos();
    }

    public Caller key(String hash) {
        return fresh(keys, hash);
    }

    public void putKey(String hash, Caller caller) {
        keys.put(hash, new Entry<>(caller, System.nanoTime() + ttlNanos));
    }

    public void invalidateKey(String hash) {
        keys.remove(hash);
    }

    /** An account's settings (tier, limit) as a caller without scopes. */
    public Caller account(String accountId) {
        return fresh(accounts, accountId);
    }

    public void putAccount(Caller account) {
        accounts.put(account.accountId(), new Entry<>(account, System.nanoTime() + ttlNanos));
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        long now = System.nanoTime();
        keys.values().removeIf(e -> e.expiresAt() - now < 0);
        accounts.values().removeIf(e -> e.expiresAt() - now < 0);
    }

    private static Caller fresh(Map<String, Entry<Caller>> map, String id) {
        Entry<Caller> entry = map.get(id);
        if (entry == null) {
            return null;
        }
        if (entry.expiresAt() - System.nanoTime() < 0) {
            map.remove(id, entry);
            return null;
        }
        return entry.value();
    }
}
