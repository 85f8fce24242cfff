package io.cloudnexus.gateway.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Credential;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.oauth.RevocationList;

/**
 * Looks API keys and accounts up in the database (blocking), through the {@link CredentialCache}; the
 * re-check of open streams ({@link #stillValid}) and ticket redemption ({@link #verifyKeyId}) read the
 * database itself, never the cache.
 */
@ApplicationScoped
public class CredentialVerifier {

    private final CredentialCache cache;
    private final TierLimits limits;
    private final RevocationList revocations;

    public CredentialVerifier(CredentialCache cache, TierLimits limits, RevocationList revocations) {
        this.cache = cache;
        this.limits = limits;
        this.revocations = revocations;
    }

    /** The caller of a cached, verified key, or null (no I/O: safe on the event loop). */
    public Caller cachedKey(String keyHash) {
        return cache.key(keyHash);
    }

    /** The caller an active API key stands for. Blocking. */
    @Transactional
    public Optional<Caller> verifyKey(String keyHash) {
        Caller cached = cache.key(keyHash);
        if (cached != null) {
            return Optional.of(cached);
        }
        ApiKey key = ApiKey.<ApiKey>find("keyHash = ?1 and revokedAt is null", keyHash)
                .firstResult();
        if (key == null) {
            return Optional.empty();
        }
        Account account = Account.findById(key.accountId);
        Caller caller = new Caller(account.id, account.tier, limits.limitFor(account), Scope.parse(key.scopes));
        // "last used" of the key list: written when the key is (re)verified, at most once per cache TTL here
        key.lastUsedAt = OffsetDateTime.now(ZoneOffset.UTC);
        cache.putKey(keyHash, caller);
        return Optional.of(caller);
    }

    /**
     * The caller and credential of the active API key {@code keyId}, read from the database (not the
     * cache: a ticket may outlive a cache entry of its revoked key). Blocking.
     */
    @Transactional
    public Optional<Verified> verifyKeyId(String keyId) {
        ApiKey key = ApiKey.<ApiKey>find("id = ?1 and revokedAt is null", keyId).firstResult();
        if (key == null) {
            return Optional.empty();
        }
        Account account = Account.findById(key.accountId);
        if (account == null) {
            return Optional.empty();
        }
        return Optional.of(new Verified(
                new Caller(account.id, account.tier, limits.limitFor(account), Scope.parse(key.scopes)),
                new Credential.ApiKey(account.id, key.keyHash)));
    }

    /** A verified credential and the caller it stands for. */
    public record Verified(Caller caller, Credential credential) {}

    /**
     * Those of {@code credentials} that still verify, asked of the database directly (never the cache, so
     * no answer is older than this call): an API key not revoked or deleted, of an existing account; an OIDC
     * token not expired, of an existing account; an access token of the gateway's own not expired nor revoked, of an
     * existing account. A key found revoked is dropped from this replica's cache.
     * Blocking.
     */
    @Transactional
    public Set<Credential> stillValid(Collection<Credential> credentials) {
        Set<String> hashes = new HashSet<>();
        Set<String> accounts = new HashSet<>();
        for (Credential credential : credentials) {
            if (credential instanceof Credential.ApiKey key) {
                hashes.add(key.keyHash());
            } else {
                accounts.add(credential.accountId());
            }
        }
        Set<String> activeHashes = new HashSet<>();
        for (List<String> chunk : chunks(hashes)) {
            List<ApiKey> keys = ApiKey.<ApiKey>list("keyHash in ?1 and revokedAt is null", chunk);
            Set<String> owners = new HashSet<>();
            keys.forEach(k -> owners.add(k.accountId));
            Set<String> existing = existingAccounts(owners);
            keys.stream().filter(k -> existing.contains(k.accountId)).forEach(k -> activeHashes.add(k.keyHash));
        }
        Set<String> existingAccounts = existingAccounts(accounts);
        Instant now = Instant.now();
        Set<Credential> valid = new HashSet<>();
        for (Credential credential : credentials) {
            boolean ok;
            if (credential instanceof Credential.ApiKey key) {
                ok = activeHashes.contains(key.keyHash());
            } else if (credential instanceof Credential.OAuth token) {
                ok = token.expiresAt().isAfter(now)
                        && !revocations.isRevoked(token.jti(), token.clientId())
                        && existingAccounts.contains(credential.accountId());
            } else {
                ok = ((Credential.Oidc) credential).expiresAt().isAfter(now)
                        && existingAccounts.contains(credential.accountId());
            }
            if (ok) {
                valid.add(credential);
            } else if (credential instanceof Credential.ApiKey key) {
                cache.invalidateKey(key.keyHash());
            }
        }
        return valid;
    }

    private static Set<String> existingAccounts(Set<String> ids) {
        Set<String> existing = new HashSet<>();
        for (List<String> chunk : chunks(ids)) {
            Account.<Account>list("id in ?1", chunk).forEach(a -> existing.add(a.id));
        }
        return existing;
    }

    private static List<List<String>> chunks(Set<String> values) {
        List<String> all = List.copyOf(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 1000) {
            chunks.add(all.subList(i, Math.min(all.size(), i + 1000)));
        }
        return chunks;
    }

    /** An account's settings as a caller holding {@code scopes}, if the account exists. Blocking. */
    @Transactional
    public Optional<Caller> account(String accountId, Set<String> scopes) {
        Caller cached = cache.account(accountId);
        if (cached == null) {
            Account account = Account.findById(accountId);
            if (account == null) {
                return Optional.empty();
            }
            cached = new Caller(account.id, account.tier, limits.limitFor(account), Set.of());
            cache.putAccount(cached);
        }
        return Optional.of(new Caller(cached.accountId(), cached.tier(), cached.rateLimit(), scopes));
    }
}
