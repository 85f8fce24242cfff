package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.util.KeyUtils;

class IdentityTokensTest {

    private JwtConsumer consumer() throws Exception {
        return new JwtConsumerBuilder()
                .setVerificationKey(KeyUtils.readPublicKey("cloudnexus/identity/test-public.pem"))
                .setExpectedIssuer(IdentityTokens.ISSUER)
                .setExpectedAudience(IdentityTokens.AUDIENCE)
                .setRequireExpirationTime()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                .build();
    }

    @Test
    void mintedTokensVerifyWithTheTrustedPublicKey() throws Exception {
        JwtClaims claims = consumer().processToClaims(IdentityTokens.mint("acc_abc", "starter", Set.of("read")));
        assertThat(claims.getSubject()).isEqualTo("acc_abc");
        assertThat(claims.getStringClaimValue("tier")).isEqualTo("starter");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("read");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isLessThanOrEqualTo(60);
    }

    @Test
    void strangersAndExpiredTokensDoNotVerify() throws Exception {
        JwtConsumer consumer = consumer();
        assertThatThrownBy(() -> consumer.processToClaims(IdentityTokens.signedByStranger("acc_abc")))
                .isInstanceOf(InvalidJwtException.class);
        assertThatThrownBy(() -> consumer.processToClaims(IdentityTokens.expired("acc_abc")))
                .isInstanceOf(InvalidJwtException.class);
    }
}
