package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.cloudnexus.gateway.service.ApiKeys;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The operator route {@code POST /admin/billing/invoices/finalize}: only the operator (bootstrap admin
 * key, OIDC admin role) reaches billing, with an identity token whose sub and groups are "operator"; no
 * account credential, whatever its scopes, can reach it or ever carry the operator group.
 */
@QuarkusTest
@GatewayTest
class OperatorRouteTest {

    RecordingReceiver billing = UpstreamReceiverResource.billing();
    RecordingReceiver services = UpstreamReceiverResource.receiver();

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void reset() {
        billing.reset();
        services.reset();
    }

    private static Response finalize(String credential, Object body) {
        return given().auth()
                .oauth2(credential)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/billing/invoices/finalize");
    }

    @Test
    void theOperatorFinalizesThroughBillingWithTheOperatorIdentity() throws Exception {
        billing.script(Reply.ok()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"period\":\"2025-03\",\"finalized\":[\"inv_1\"],\"already_finalized\":[]}"));
        String accountId = Accounts.createAccount("starter", null);
        Response answer = finalize(Accounts.ADMIN_KEY, Map.of("period", "2025-03", "account_id", accountId));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getList("finalized")).containsExactly("inv_1");

        ReceivedRequest forwarded = billing.awaitCount(1, Duration.ofSeconds(5)).get(0);
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.path()).isEqualTo("/billing/invoices/finalize");
        assertThat(forwarded.bodyAsString()).isEqualTo("{\"period\":\"2025-03\",\"account_id\":\"" + accountId + "\"}");
        JwtClaims claims = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
        assertThat(claims.getSubject()).isEqualTo("operator");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("operator");

        // every account (no account_id), by an OIDC admin
        billing.script(Reply.ok().withHeader("Content-Type", "application/json").withBody("{\"finalized\":[]}"));
        Response all = finalize(OidcTest.accessToken(null, null, Set.of("cloudnexus-admin")), Map.of());
        assertThat(all.statusCode()).as(all.asString()).isEqualTo(200);
        assertThat(billing.awaitCount(2, Duration.ofSeconds(5)).get(1).bodyAsString())
                .isEqualTo("{}");
    }

    @Test
    void accountCredentialsCannotReachIt() {
        Accounts.Credentials tenantAdmin = Accounts.newAccount("enterprise", "read", "write", "admin");
        StatusCodesTest.assertProblem(finalize(tenantAdmin.key(), Map.of()), 401);
        StatusCodesTest.assertProblem(
                finalize(
                        OidcTest.accessToken(tenantAdmin.accountId(), "read write admin", Set.of("user", "operator")),
                        Map.of()),
                403);
        StatusCodesTest.assertProblem(
                given().contentType(ContentType.JSON).body(Map.of()).post("/admin/billing/invoices/finalize"), 401);
        assertThat(billing.count()).isZero();
    }

    @Test
    void invalidInputIs400AndAnUnreachableBillingIs503() {
        StatusCodesTest.assertProblem(finalize(Accounts.ADMIN_KEY, Map.of("period", "2025-13")), 400);
        StatusCodesTest.assertProblem(finalize(Accounts.ADMIN_KEY, Map.of("account_id", "acc_\u0000")), 400);
        assertThat(billing.count()).isZero();
        UpstreamReceiverResource.billingProxy().cut();
        try {
            Response down = finalize(Accounts.ADMIN_KEY, Map.of());
            StatusCodesTest.assertProblem(down, 503);
            assertThat(down.header("Retry-After")).isNotBlank();
        } finally {
            UpstreamReceiverResource.billingProxy().restore();
        }
    }

    @Test
    void noAccountCredentialCarriesTheOperatorGroup() throws Exception {
        String accountId = Accounts.createAccount("starter", null);
        // through the admin API an operator scope is refused outright
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body(Map.of("scopes", java.util.List.of("read", "operator")))
                        .post("/admin/accounts/{id}/keys", accountId),
                400);
        // a key row that says otherwise (written around the API) still yields only CloudNexus scopes
        String key = ApiKeys.newKey();
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("""
                INSERT INTO api_key (id, account_id, name, key_prefix, key_hash, scopes, created_at)
                VALUES (?, ?, 'forged', ?, ?, 'operator read admin', ?)""")) {
            ps.setString(1, ApiKeys.newId("key_"));
            ps.setString(2, accountId);
            ps.setString(3, ApiKeys.displayPrefix(key));
            ps.setString(4, ApiKeys.hash(key));
            ps.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        assertThat(given().auth().oauth2(key).get("/v2/servers").statusCode()).isEqualTo(200);
        // an OIDC token asking for operator (scope claim or role) gets only its CloudNexus scopes
        assertThat(given().auth()
                        .oauth2(OidcTest.accessToken(accountId, "read operator", Set.of("operator")))
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
        for (ReceivedRequest forwarded : services.awaitCount(2, Duration.ofSeconds(5))) {
            JwtClaims claims = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
            assertThat(claims.getSubject()).isEqualTo(accountId);
            assertThat(claims.getStringListClaimValue("groups"))
                    .doesNotContain("operator")
                    .isNotEmpty();
        }
    }
}
