package io.cloudnexus.gateway.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.domain.Tier;
import io.cloudnexus.gateway.problem.ProblemException;

/** Creates accounts and their API keys, lists and revokes keys. */
@ApplicationScoped
public class AccountService {

    private final CredentialCache cache;

    public AccountService(CredentialCache cache) {
        this.cache = cache;
    }

    /** A new key and its plaintext (shown once). */
    public record IssuedKey(ApiKey key, String plaintext) {}

    @Transactional
    public Account createAccount(String name, Tier tier, Integer customRateLimit) {
        Account account = new Account();
        account.id = ResourceIds.newId(ResourceIds.ACCOUNT);
        account.name = name;
        account.tier = tier;
        account.customRateLimit = customRateLimit;
        account.createdAt = now();
        account.persist();
        return account;
    }

    @Transactional
    public Optional<Account> find(String accountId) {
        return Account.findByIdOptional(accountId);
    }

    @Transactional
    public IssuedKey createKey(String accountId, String name, Set<String> scopes) {
        requireAccount(accountId);
        if (scopes.isEmpty() || scopes.stream().anyMatch(scope -> scope == null || !Scope.ALL.contains(scope))) {
            throw ProblemException.badRequest("scopes must be a non-empty subset of read, write, admin");
        }
        String plaintext = ApiKeys.newKey();
        ApiKey key = new ApiKey();
        key.id = ApiKeys.newId("key_");
        key.accountId = accountId;
        key.name = name;
        key.keyPrefix = ApiKeys.displayPrefix(plaintext);
        key.keyHash = ApiKeys.hash(plaintext);
        key.scopes = Scope.join(scopes);
        key.createdAt = now();
        key.persist();
        return new IssuedKey(key, plaintext);
    }

    @Transactional
    public List<ApiKey> keys(String accountId) {
        requireAccount(accountId);
        return ApiKey.list("accountId = ?1 order by createdAt", accountId);
    }

    /**
     * Revokes a key; it stops working on this replica at once (the cache entry is dropped here and again
     * by the caller after the commit) and on others within the cache TTL. Its console sessions are deleted
     * (they end at once on every replica).
     */
    @Transactional
    public ApiKey revoke(String accountId, String keyId) {
        ApiKey key = ApiKey.<ApiKey>find("id = ?1 and accountId = ?2", keyId, accountId)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("No key " + keyId + " in account " + accountId));
        if (key.revokedAt == null) {
            key.revokedAt = now();
        }
        // its console sessions end with it (they are looked up together with an active key anyway)
        ApiKey.getEntityManager()
                .createNativeQuery("DELETE FROM console_session WHERE api_key_id = ?1")
                .setParameter(1, key.id)
                .executeUpdate();
        cache.invalidateKey(key.keyHash);
        return key;
    }

    /** Whether {@code plaintext} is an active key of {@code accountId}. */
    @Transactional
    public boolean isActiveKey(String accountId, String plaintext) {
        return ApiKey.count("keyHash = ?1 and accountId = ?2 and revokedAt is null", ApiKeys.hash(plaintext), accountId)
                > 0;
    }

    private static void requireAccount(String accountId) {
        if (Account.findById(accountId) == null) {
            throw ProblemException.notFound("No account " + accountId);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
