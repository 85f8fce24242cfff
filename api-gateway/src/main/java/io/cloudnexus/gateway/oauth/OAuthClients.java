package io.cloudnexus.gateway.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.ApiKeys;

/**
 * An account's OAuth clients: created with a secret shown once (stored as its SHA-256: it has as much entropy
 * as an API key), listed, deleted (which revokes every token issued to the client, on every replica within
 * {@code oauth.revocation-refresh}); and client authentication for the token and revocation endpoints.
 */
@ApplicationScoped
public class OAuthClients {

    public static final String ID_PREFIX = "cli_";
    public static final String SECRET_PREFIX = "cn_live_cs_";
    private static final Pattern ID = Pattern.compile("cli_[0-9A-Za-z]{20}");
    /** A hash no secret has, compared when the client is unknown (the same work either way). */
    private static final String NO_HASH = "0".repeat(64);

    /** A new client and its secret (shown once). */
    public record Issued(OAuthClient client, String secret) {}

    private final RevocationList revocations;
    private final OAuthConfig config;
    private final EntityManager entityManager;

    public OAuthClients(RevocationList revocations, OAuthConfig config, EntityManager entityManager) {
        this.revocations = revocations;
        this.config = config;
        this.entityManager = entityManager;
    }

    /** Whether {@code value} has the form of a client id (anything else cannot exist: 404 without a look-up). */
    public static boolean looksLikeId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    @Transactional
    public Issued create(String accountId, String name, Set<String> scopes) {
        String secret = ApiKeys.newSecret(SECRET_PREFIX);
        OAuthClient client = new OAuthClient();
        client.id = ApiKeys.newId(ID_PREFIX);
        client.accountId = accountId;
        client.name = name;
        client.secretHash = ApiKeys.hash(secret);
        client.scopes = Scope.join(scopes);
        client.createdAt = now();
        client.persist();
        return new Issued(client, secret);
    }

    @Transactional
    public List<OAuthClient> list(String accountId) {
        return OAuthClient.list("accountId = ?1 and deletedAt is null order by createdAt", accountId);
    }

    /** Deletes the account's client {@code clientId} and revokes its tokens; 404 if the account has no such client. */
    @Transactional
    public void delete(String accountId, String clientId) {
        OAuthClient client = looksLikeId(clientId)
                ? OAuthClient.<OAuthClient>find("id = ?1 and accountId = ?2 and deletedAt is null", clientId, accountId)
                        .firstResult()
                : null;
        if (client == null) {
            throw ProblemException.notFound("No OAuth client " + (looksLikeId(clientId) ? clientId : "with this id"));
        }
        client.deletedAt = now();
        Instant lastExpiry = Instant.now().plus(config.tokenLifetime()).plus(config.clockSkew());
        entityManager.unwrap(Session.class).doWork(c -> revokeClient(c, client.id, lastExpiry));
    }

    private void revokeClient(Connection c, String clientId, Instant lastExpiry) throws SQLException {
        revocations.revoke(c, clientId, "client", lastExpiry);
    }

    /** The active client {@code clientId} if {@code secret} is its secret (compared in constant time). */
    @Transactional
    public Optional<OAuthClient> authenticate(String clientId, String secret) {
        OAuthClient client = looksLikeId(clientId)
                ? OAuthClient.<OAuthClient>find("id = ?1 and deletedAt is null", clientId)
                        .firstResult()
                : null;
        String given = ApiKeys.hash(secret == null ? "" : secret);
        boolean same = MessageDigest.isEqual(
                given.getBytes(StandardCharsets.US_ASCII),
                (client == null ? NO_HASH : client.secretHash).getBytes(StandardCharsets.US_ASCII));
        return same && client != null ? Optional.of(client) : Optional.empty();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
