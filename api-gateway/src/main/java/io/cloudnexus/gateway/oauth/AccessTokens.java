package io.cloudnexus.gateway.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.ApiKeys;

/**
 * The access tokens of the client-credentials grant: JWTs (RFC 9068, {@code typ} {@code at+jwt}) signed
 * RS256 with the current {@link SigningKeys signing key} ({@code kid} in the header): {@code iss} the
 * configured issuer, {@code aud} {@code oauth.audience}, {@code sub} and {@code client_id} the client,
 * {@code cloudnexus_account} its account, {@code scope} (space-separated), {@code jti}, {@code iat},
 * {@code exp}. Verified locally (signature by a published key, issuer, audience, type, expiry) plus the
 * in-memory {@link RevocationList}: no database round trip per request.
 */
@ApplicationScoped
public class AccessTokens {

    public static final String TYPE = "at+jwt";
    public static final String ACCOUNT_CLAIM = "cloudnexus_account";
    public static final String CLIENT_CLAIM = "client_id";

    /** A verified access token. */
    public record AccessToken(String accountId, String clientId, String jti, Set<String> scopes, Instant expiresAt) {}

    private final OAuthConfig config;
    private final SigningKeys keys;
    private final RevocationList revocations;
    private final JwtConsumer peek = new JwtConsumerBuilder()
            .setSkipAllValidators()
            .setDisableRequireSignature()
            .setSkipSignatureVerification()
            .build();

    public AccessTokens(OAuthConfig config, SigningKeys keys, RevocationList revocations) {
        this.config = config;
        this.keys = keys;
        this.revocations = revocations;
    }

    /** A token for {@code client} of {@code accountId} with {@code scopes}, valid {@code oauth.token-lifetime}. */
    public String issue(String accountId, String clientId, Set<String> scopes) {
        Instant now = Instant.now();
        return sign(accountId, clientId, scopes, now, now.plus(config.tokenLifetime()));
    }

    /** A token with the given times (tests mint expired ones this way). */
    String sign(String accountId, String clientId, Set<String> scopes, Instant issuedAt, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject(clientId);
        claims.setClaim(CLIENT_CLAIM, clientId);
        claims.setClaim(ACCOUNT_CLAIM, accountId);
        claims.setClaim("scope", Scope.join(Scope.only(scopes)));
        claims.setJwtId(ApiKeys.newId("at_"));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        SigningKeys.SigningKey key = keys.current();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", TYPE);
        jws.setKey(key.jwk().getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
    }

    /**
     * Whether {@code credential} is a JWT that names this gateway as its issuer (unverified: it decides which
     * verifier gets it, this one or OIDC's). No I/O.
     */
    public boolean isOurs(String credential) {
        if (credential == null || credential.chars().filter(c -> c == '.').count() != 2) {
            return false;
        }
        try {
            return config.issuer().equals(peek.processToClaims(credential).getIssuer());
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The verified, unrevoked token; 401 when its signature, issuer, audience, type or expiry does not hold or
     * it was revoked (its client deleted), 503 when the revocation list is too old to be trusted. No I/O.
     */
    public AccessToken verify(String token) {
        AccessToken verified = verified(token, true)
                .orElseThrow(() -> ProblemException.unauthorized("The access token is not valid or has expired"));
        if (!revocations.fresh()) {
            throw new ProblemException(
                    503,
                    "service-unavailable",
                    "Service unavailable",
                    "Access tokens cannot be checked right now; retry shortly",
                    Map.of("Retry-After", "5"));
        }
        if (revocations.isRevoked(verified.jti(), verified.clientId())) {
            throw ProblemException.unauthorized("The access token was revoked");
        }
        return verified;
    }

    /**
     * The token if its signature, issuer, audience and type hold (and, when {@code checkExpiry}, it has not
     * expired); empty otherwise. Revocation is not checked. No I/O.
     */
    public Optional<AccessToken> verified(String token, boolean checkExpiry) {
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(this::resolve)
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(config.audience())
                .setExpectedType(true, TYPE)
                .setRequireJwtId()
                .setRequireSubject()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds());
        if (!checkExpiry) {
            builder.setEvaluationTime(NumericDate.fromSeconds(0));
        }
        try {
            JwtClaims claims = builder.build().processToClaims(token);
            String account = claims.getStringClaimValue(ACCOUNT_CLAIM);
            String client = claims.getStringClaimValue(CLIENT_CLAIM);
            if (account == null || client == null) {
                return Optional.empty();
            }
            return Optional.of(new AccessToken(
                    account,
                    client,
                    claims.getJwtId(),
                    Scope.parse(claims.getStringClaimValue("scope")),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue())));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private java.security.Key resolve(JsonWebSignature jws, List<JsonWebStructure> nested)
            throws UnresolvableKeyException {
        SigningKeys.SigningKey key = keys.byKid(jws.getKeyIdHeaderValue());
        if (key == null) {
            throw new UnresolvableKeyException("unknown kid");
        }
        return key.jwk().getPublicKey();
    }
}
