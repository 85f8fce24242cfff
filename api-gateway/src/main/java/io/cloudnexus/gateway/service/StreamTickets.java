package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Credential;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.repository.StreamTicketRepository;
import io.cloudnexus.gateway.repository.StreamTicketRepository.Redeemed;
import io.cloudnexus.gateway.service.CredentialVerifier.Verified;
import io.quarkus.scheduler.Scheduled;

/**
 * Stream tickets: {@code tkt_} plus 40 random base62 characters (as much entropy as an API key, so a
 * fast hash is a safe way to store them: only the SHA-256 is kept), valid once for {@code
 * stream.ticket-ttl}, bound to the account, scopes and credential they were issued from. Redeeming one
 * admits the stream request as that credential, verified afresh from the database: a ticket of a key
 * revoked since is worth nothing.
 */
@ApplicationScoped
public class StreamTickets {

    public static final String PREFIX = "tkt_";

    /** A new ticket (shown once) and when it expires. */
    public record Issued(String ticket, Instant expiresAt) {}

    private final StreamTicketRepository repository;
    private final CredentialVerifier verifier;
    private final Duration ttl;

    public StreamTickets(StreamTicketRepository repository, CredentialVerifier verifier, GatewayConfig config) {
        this.repository = repository;
        this.verifier = verifier;
        this.ttl = config.stream().ticketTtl();
    }

    /** A ticket for the admitted {@code caller}, bound to {@code credential}. Blocking. */
    public Issued issue(Caller caller, Credential credential) {
        String ticket = ApiKeys.newSecret(PREFIX);
        String hash = ApiKeys.hash(ticket);
        String scopes = Scope.join(caller.scopes());
        Optional<Instant> expiresAt;
        if (credential instanceof Credential.ApiKey key) {
            expiresAt = repository.insertForKey(hash, key.keyHash(), scopes, ttl);
        } else if (credential instanceof Credential.OAuth) {
            // machine clients send their access token on the stream request itself (tickets are for browsers)
            throw ProblemException.forbidden("Stream tickets are for browser sessions and API keys; open "
                    + "the stream with Authorization: Bearer <access token> instead");
        } else {
            Credential.Oidc token = (Credential.Oidc) credential;
            // a token without a subject is bound to its account
            String subject = token.subject() == null ? token.accountId() : token.subject();
            expiresAt = repository.insertForToken(hash, token.accountId(), scopes, subject, token.expiresAt(), ttl);
        }
        return new Issued(
                ticket,
                expiresAt.orElseThrow(() -> ProblemException.unauthorized("The API key is not valid or was revoked")));
    }

    /**
     * The credential a ticket stands for, if the ticket is unused and unexpired and its credential still
     * verifies; the ticket is used up either way. Blocking.
     */
    public Optional<Verified> redeem(String ticket) {
        if (!ApiKeys.looksLikeSecret(PREFIX, ticket)) {
            return Optional.empty();
        }
        Optional<Redeemed> redeemed = repository.redeem(ApiKeys.hash(ticket));
        if (redeemed.isEmpty()) {
            return Optional.empty();
        }
        Redeemed row = redeemed.get();
        Set<String> scopes = Scope.parse(row.scopes());
        if (row.apiKeyId() != null) {
            return verifier.verifyKeyId(row.apiKeyId())
                    .filter(v -> v.caller().accountId().equals(row.accountId()))
                    .map(v -> new Verified(narrowed(v.caller(), scopes), v.credential()));
        }
        if (row.credentialExpiresAt() == null || !row.credentialExpiresAt().isAfter(Instant.now())) {
            return Optional.empty();
        }
        return verifier.account(row.accountId(), scopes)
                .map(caller -> new Verified(
                        caller, new Credential.Oidc(row.accountId(), row.oidcSubject(), row.credentialExpiresAt())));
    }

    /** The caller with only those of its scopes that the ticket was issued with. */
    private static Caller narrowed(Caller caller, Set<String> ticketScopes) {
        Set<String> scopes = new LinkedHashSet<>(caller.scopes());
        scopes.retainAll(ticketScopes);
        return new Caller(caller.accountId(), caller.tier(), caller.rateLimit(), Set.copyOf(scopes));
    }

    @Scheduled(every = "10m", delayed = "1m")
    void deleteExpired() {
        repository.deleteExpired(Instant.now().minus(Duration.ofHours(1)));
    }
}
