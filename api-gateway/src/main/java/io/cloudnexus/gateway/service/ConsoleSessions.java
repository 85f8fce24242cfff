package io.cloudnexus.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Credential;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.repository.ConsoleSessionRepository;
import io.cloudnexus.gateway.repository.ConsoleSessionRepository.Active;
import io.cloudnexus.gateway.service.CredentialVerifier.Verified;
import io.quarkus.scheduler.Scheduled;

/**
 * Web console sessions: an API key exchanged ({@code POST /console/session}) for an opaque cookie value
 * (256 random bits from {@link SecureRandom}, base64url; only its SHA-256 is stored) and a CSRF token (256
 * bits). A session stands for the key it was opened with, looked up afresh in the database on every use
 * (never a cache): a revoked key ends its sessions at once on every replica. It ends after {@code
 * console.session-lifetime}, or {@code console.idle-timeout} after its last use.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** The cookie holding the session. */
    public static final String COOKIE = "cn_console";
    /** The header a cookie-authenticated request must carry the session's CSRF token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    static final String INVALID_KEY = "The API key is not valid or was revoked";
    static final String INVALID_SESSION = "The console session is not valid or has ended; sign in again";
    private static final int RANDOM_BYTES = 32;
    /** Length of 32 bytes in unpadded base64url. */
    private static final int TOKEN_LENGTH = 43;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session as the console sees it (never the cookie). */
    public record Session(
            String accountId,
            String keyPrefix,
            java.util.Set<String> scopes,
            String tier,
            String csrfToken,
            Instant expiresAt) {}

    /** A new session: the cookie value (shown once, in Set-Cookie) and the session. */
    public record Opened(String cookie, Session session) {}

    private final ConsoleSessionRepository repository;
    private final CredentialVerifier verifier;
    private final Duration lifetime;
    private final Duration idle;

    public ConsoleSessions(ConsoleSessionRepository repository, CredentialVerifier verifier, GatewayConfig config) {
        this.repository = repository;
        this.verifier = verifier;
        this.lifetime = config.console().sessionLifetime();
        this.idle = config.console().idleTimeout();
    }

    /** Opens a session for {@code apiKey}, verified exactly as on /v2; 401 if it is not an active key. Blocking. */
    public Opened open(String apiKey) {
        if (apiKey == null || !ApiKeys.looksLikeKey(apiKey)) {
            throw ProblemException.unauthorized(INVALID_KEY);
        }
        String keyHash = ApiKeys.hash(apiKey);
        verifier.verifyKey(keyHash).orElseThrow(() -> ProblemException.unauthorized(INVALID_KEY));
        String cookie = newToken();
        Active active = repository
                .insertForKey(ApiKeys.hash(cookie), newToken(), keyHash, lifetime, idle)
                .orElseThrow(() -> ProblemException.unauthorized(INVALID_KEY));
        return new Opened(cookie, view(active));
    }

    /** The session of {@code cookie}, if active; its use is recorded. Blocking. */
    public Optional<Session> current(String cookie) {
        return active(cookie).map(this::view);
    }

    /**
     * The credential a session stands for, for a /v2 request: 401 if the session is not active, 403 if
     * {@code csrfToken} is not the session's token. The caller is the key's, with the account's current tier
     * and limit. Blocking.
     */
    public Verified authenticate(String cookie, String csrfToken) {
        Active session = find(cookie).orElseThrow(() -> ProblemException.unauthorized(INVALID_SESSION));
        requireCsrf(session, csrfToken);
        repository.touch(ApiKeys.hash(cookie), idle);
        Caller caller = verifier.account(session.accountId(), Scope.parse(session.scopes()))
                .orElseThrow(() -> ProblemException.unauthorized(INVALID_SESSION));
        return new Verified(caller, new Credential.ApiKey(caller.accountId(), session.keyHash()));
    }

    /** Ends the session of {@code cookie} (sign-out): 401 if none is active, 403 on a wrong CSRF token. Blocking. */
    public void close(String cookie, String csrfToken) {
        Active session = find(cookie).orElseThrow(() -> ProblemException.unauthorized(INVALID_SESSION));
        requireCsrf(session, csrfToken);
        repository.delete(ApiKeys.hash(cookie));
    }

    /** Deletes the session of {@code cookie}, if any (a browser signing in again replaces its session). Blocking. */
    public void discard(String cookie) {
        if (looksLikeCookie(cookie)) {
            repository.delete(ApiKeys.hash(cookie));
        }
    }

    /** Whether {@code value} has the form of a session cookie (checked before any database lookup). */
    public static boolean looksLikeCookie(String value) {
        return value != null
                && value.length() == TOKEN_LENGTH
                && value.chars()
                        .allMatch(c -> (c >= '0' && c <= '9')
                                || (c >= 'A' && c <= 'Z')
                                || (c >= 'a' && c <= 'z')
                                || c == '-'
                                || c == '_');
    }

    private Optional<Active> active(String cookie) {
        Optional<Active> session = find(cookie);
        session.ifPresent(s -> repository.touch(ApiKeys.hash(cookie), idle));
        return session;
    }

    private Optional<Active> find(String cookie) {
        return looksLikeCookie(cookie) ? repository.find(ApiKeys.hash(cookie)) : Optional.empty();
    }

    private static void requireCsrf(Active session, String csrfToken) {
        if (csrfToken == null || csrfToken.isEmpty()) {
            throw ProblemException.forbidden("Send the session's CSRF token as " + CSRF_HEADER);
        }
        if (!MessageDigest.isEqual(
                session.csrfToken().getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden(CSRF_HEADER + " does not match the console session");
        }
    }

    private Session view(Active active) {
        Caller caller = verifier.account(active.accountId(), Scope.parse(active.scopes()))
                .orElseThrow(() -> ProblemException.unauthorized(INVALID_SESSION));
        return new Session(
                active.accountId(),
                active.keyPrefix(),
                caller.scopes(),
                caller.tier().wireName(),
                active.csrfToken(),
                active.expiresAt());
    }

    private static String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Scheduled(every = "10m", delayed = "1m")
    void deleteExpired() {
        repository.deleteExpired(Instant.now().minus(Duration.ofHours(1)));
    }
}
