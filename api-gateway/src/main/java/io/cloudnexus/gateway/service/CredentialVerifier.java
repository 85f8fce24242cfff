package io.cloudnexus.gateway.service;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Scope;

/** Looks API keys and accounts up in the database (blocking), through the {@link CredentialCache}. */
@ApplicationScoped
public class CredentialVerifier {

    private final CredentialCache cache;
    private final TierLimits limits;

    public CredentialVerifier(CredentialCache cache, TierLimits limits) {
        this.cache = cache;
        this.limits = limits;
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
        cache.putKey(keyHash, caller);
        return Optional.of(caller);
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
