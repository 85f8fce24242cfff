package io.cloudnexus.billing;

import static io.cloudnexus.billing.BillingTesting.as;
import static io.cloudnexus.billing.BillingTesting.asAdmin;
import static io.cloudnexus.billing.BillingTesting.asOperator;
import static io.cloudnexus.billing.BillingTesting.clusterDeleted;
import static io.cloudnexus.billing.BillingTesting.created;
import static io.cloudnexus.billing.BillingTesting.nodeJoined;
import static io.cloudnexus.billing.BillingTesting.provisioned;
import static io.cloudnexus.testsupport.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.billing.service.InvoiceFinalizer;
import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.testsupport.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Draft invoices, finalization on request (an account's admin key: its own drafts; the operator: all), once and
 * immutable, and billing.invoice.finalized on Kafka.
 */
@QuarkusTest
@ServiceTest
class InvoiceFinalizationTest {

    @Inject
    EntityManager em;

    @Inject
    InvoiceFinalizer finalizer;

    @Test
    void finalizingTwiceRecordsOneEventAndTheTotalIsTheSumOfTheLineItems() {
        String account = BillingTesting.newAccount();
        String srv = ResourceIds.newId(ResourceIds.SERVER);
        String cls = ResourceIds.newId(ResourceIds.CLUSTER);
        BillingTesting.send(List.of(
                created(account, srv, "starter", "2025-06-01T00:00:00Z"),
                provisioned(account, srv, "2025-06-01T00:00:00Z"), // still running: billed to the period's end, 720 h
                nodeJoined(account, cls, "workers-1-ccccc", "s-4vcpu-8gb", 1, "2025-06-15T12:00:00Z"),
                clusterDeleted(account, cls, "2025-06-16T12:00:00Z"))); // 24 h x 6
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Long> amounts = as(account).get("/billing/invoices").jsonPath().getList("data.amount_due", Long.class);
            return amounts.equals(List.of(720L + 144L));
        });
        Response draft = as(account).get("/billing/invoices").then().extract().response();
        String invoice = draft.jsonPath().getString("data[0].id");
        assertThat(invoice).startsWith("inv_");
        assertThat(draft.jsonPath().getString("data[0].status")).isEqualTo("draft");
        assertThat(draft.jsonPath().getString("data[0].period_start")).isEqualTo("2025-06-01");

        assertThat(as(account)
                        .body("{\"period\":\"2025-06\"}")
                        .post("/billing/invoices/finalize")
                        .statusCode())
                .isEqualTo(403);
        Response first = asAdmin(account)
                .body("{\"period\":\"2025-06\",\"account_id\":\"" + account + "\"}")
                .post("/billing/invoices/finalize");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(first.jsonPath().getList("finalized")).containsExactly(invoice);
        Response second = asAdmin(account)
                .body("{\"period\":\"2025-06\",\"account_id\":\"" + account + "\"}")
                .post("/billing/invoices/finalize");
        assertThat(second.jsonPath().getList("finalized")).isEmpty();
        assertThat(second.jsonPath().getList("already_finalized")).containsExactly(invoice);

        Response detail = as(account).get("/billing/invoices/" + invoice);
        assertThat(detail.jsonPath().getString("status")).isEqualTo("finalized");
        List<Long> amounts = detail.jsonPath().getList("line_items.amount", Long.class);
        assertThat(amounts).containsExactlyInAnyOrder(720L, 144L);
        assertThat(detail.jsonPath().getLong("amount_due"))
                .isEqualTo(amounts.stream().mapToLong(Long::longValue).sum());
        assertThat(detail.jsonPath().getInt("line_items_count")).isEqualTo(2);
        assertThat(detail.jsonPath().getString("finalized_at")).isNotNull();

        // a late event for the finalized period does not change the invoice
        BillingTesting.send(
                List.of(nodeJoined(account, cls, "workers-2-ddddd", "s-4vcpu-8gb", 2, "2025-06-16T11:00:00Z")));
        String frozen = detail.asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> consumedOfAccount(account) == 5);
        assertThat(as(account).get("/billing/invoices/" + invoice).asString()).isEqualTo(frozen);
        assertThat(as(BillingTesting.newAccount())
                        .get("/billing/invoices/" + invoice)
                        .statusCode())
                .isEqualTo(404);

        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(invoice) == 0);
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(Topics.BILLING_EVENTS).stream()
                .filter(r -> invoice.equals(r.key()))
                .toList();
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("billing.invoice.finalized");
        assertThat(header(record, CloudEventHeaders.ACCOUNT_ID)).isEqualTo(account);
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("/cloudnexus/billing-service");
        JsonNode data = CanonicalJson.parse(record.value());
        assertThat(EventCatalog.load().validate("billing.invoice.finalized", data))
                .isEmpty();
        assertThat(data.path("invoice_id").asText()).isEqualTo(invoice);
        assertThat(data.path("account_id").asText()).isEqualTo(account);
        assertThat(data.path("period_start").asText()).isEqualTo("2025-06-01");
        assertThat(data.path("period_end").asText()).isEqualTo("2025-06-30");
        assertThat(data.path("amount_due").asLong()).isEqualTo(864);
        assertThat(data.path("currency").asText()).isEqualTo("USD");
        assertThat(data.path("line_items_count").asInt()).isEqualTo(2);
    }

    @Test
    void theOpenPeriodHasADraftThatGrowsWithRunningUsage() {
        String account = BillingTesting.newAccount();
        String srv = ResourceIds.newId(ResourceIds.SERVER);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        BillingTesting.send(List.of(
                created(account, srv, "enterprise", start.toString()), provisioned(account, srv, start.toString())));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !as(account)
                        .get("/billing/invoices")
                        .jsonPath()
                        .getList("data")
                        .isEmpty());
        Response list = as(account).get("/billing/invoices");
        assertThat(list.jsonPath().getString("data[0].status")).isEqualTo("draft");
        assertThat(list.jsonPath().getString("data[0].period_start"))
                .isEqualTo(month.atDay(1).toString());
        Response usage = as(account).get("/billing/usage");
        assertThat(usage.jsonPath().getString("period")).isEqualTo(month.toString());
        assertThat(usage.jsonPath().getString("items[0].sku")).isEqualTo("enterprise");
        assertThat(usage.jsonPath().getLong("items[0].usage_seconds")).isPositive();

        Response early = asAdmin(account).body("{\"period\":\"" + month + "\"}").post("/billing/invoices/finalize");
        assertThat(early.statusCode()).isEqualTo(409);
        Response bad = asAdmin(account).body("{\"period\":\"June\"}").post("/billing/invoices/finalize");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.jsonPath().getString("errors[0].field")).isEqualTo("period");
    }

    @Test
    void theScheduledRunFinalizesDraftsOfEndedPeriodsAndLeavesTheOpenOneADraft() {
        String account = BillingTesting.newAccount();
        String old = ResourceIds.newId(ResourceIds.SERVER);
        String now = ResourceIds.newId(ResourceIds.SERVER);
        Instant monthStart =
                YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        BillingTesting.send(List.of(
                created(account, old, "professional", "2025-09-30T20:00:00Z"),
                provisioned(account, old, "2025-09-30T20:00:00Z"),
                BillingTesting.terminated(account, old, "2025-09-30T22:00:00Z"),
                created(account, now, "starter", monthStart.toString()),
                provisioned(account, now, monthStart.toString())));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> as(account)
                                .get("/billing/invoices")
                                .jsonPath()
                                .getList("data")
                                .size()
                        == 2);

        finalizer.finalizeEndedPeriods();
        finalizer.finalizeEndedPeriods();

        Response list = as(account).get("/billing/invoices");
        assertThat(list.jsonPath().getList("data.status")).containsExactly("draft", "finalized");
        assertThat(list.jsonPath().getList("data.period_start"))
                .containsExactly(YearMonth.now(ZoneOffset.UTC).atDay(1).toString(), "2025-09-01");
        assertThat(list.jsonPath().getLong("data[1].amount_due")).isEqualTo(12);
        String invoice = list.jsonPath().getString("data[1].id");
        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(invoice) == 0);
        assertThat(TopicReader.readAll(Topics.BILLING_EVENTS))
                .filteredOn(r -> invoice.equals(r.key()))
                .hasSize(1);
    }

    @Test
    void anAccountsAdminKeyFinalizesOnlyItsOwnDraftsAndTheOperatorFinalizesAll() {
        String mine = BillingTesting.newAccount();
        String other = BillingTesting.newAccount();
        String third = BillingTesting.newAccount();
        for (String account : List.of(mine, other, third)) {
            String srv = ResourceIds.newId(ResourceIds.SERVER);
            BillingTesting.send(List.of(
                    created(account, srv, "starter", "2025-04-01T00:00:00Z"),
                    provisioned(account, srv, "2025-04-01T00:00:00Z"),
                    BillingTesting.terminated(account, srv, "2025-04-01T05:00:00Z")));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> List.of(mine, other, third).stream()
                        .allMatch(a -> as(a).get("/billing/invoices")
                                        .jsonPath()
                                        .getList("data")
                                        .size()
                                == 1));
        String mineInvoice = invoiceOf(mine);
        String otherInvoice = invoiceOf(other);
        String thirdInvoice = invoiceOf(third);

        // no account_id: the caller's own drafts only, and only its ids in the answer
        Response own = asAdmin(mine).body("{\"period\":\"2025-04\"}").post("/billing/invoices/finalize");
        assertThat(own.statusCode()).as(own.asString()).isEqualTo(200);
        assertThat(own.jsonPath().getList("finalized")).containsExactly(mineInvoice);
        assertThat(own.jsonPath().getList("already_finalized")).isEmpty();
        assertThat(status(other)).isEqualTo("draft");
        assertThat(status(third)).isEqualTo("draft");

        // another account's id: refused, nothing touched
        Response foreign = asAdmin(mine)
                .body("{\"period\":\"2025-04\",\"account_id\":\"" + other + "\"}")
                .post("/billing/invoices/finalize");
        assertThat(foreign.statusCode()).as(foreign.asString()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(status(other)).isEqualTo("draft");

        // an account key that claims the operator group (no account credential can) is not the operator
        Response forged = given(IdentityTokens.mint(mine, "enterprise", Set.of("admin", "operator")))
                .body("{\"period\":\"2025-04\"}")
                .post("/billing/invoices/finalize");
        assertThat(forged.statusCode()).as(forged.asString()).isEqualTo(403);
        Response operatorAsAccount = given(IdentityTokens.mint("operator", "enterprise", Set.of("admin")))
                .body("{\"period\":\"2025-04\"}")
                .post("/billing/invoices/finalize");
        assertThat(operatorAsAccount.statusCode())
                .as(operatorAsAccount.asString())
                .isEqualTo(403);
        assertThat(status(other)).isEqualTo("draft");

        // the operator: one account on request, then every account
        Response one = asOperator()
                .body("{\"period\":\"2025-04\",\"account_id\":\"" + other + "\"}")
                .post("/billing/invoices/finalize");
        assertThat(one.statusCode()).as(one.asString()).isEqualTo(200);
        assertThat(one.jsonPath().getList("finalized")).containsExactly(otherInvoice);
        assertThat(status(third)).isEqualTo("draft");
        Response all = asOperator().body("{\"period\":\"2025-04\"}").post("/billing/invoices/finalize");
        assertThat(all.statusCode()).as(all.asString()).isEqualTo(200);
        assertThat(all.jsonPath().getList("finalized")).containsExactly(thirdInvoice);
        assertThat(all.jsonPath().getList("already_finalized", String.class)).contains(mineInvoice, otherInvoice);
        assertThat(status(third)).isEqualTo("finalized");

        // the operator has no account: account-scoped calls are refused, not served for a made-up account
        assertThat(asOperator().get("/billing/invoices").statusCode()).isEqualTo(403);
        assertThat(asOperator().get("/billing/usage").statusCode()).isEqualTo(403);
    }

    private static io.restassured.specification.RequestSpecification given(String token) {
        return io.restassured.RestAssured.given()
                .auth()
                .oauth2(token)
                .contentType(io.restassured.http.ContentType.JSON);
    }

    private static String invoiceOf(String account) {
        return as(account).get("/billing/invoices").jsonPath().getString("data[0].id");
    }

    private static String status(String account) {
        return as(account).get("/billing/invoices").jsonPath().getString("data[0].status");
    }

    private long consumedOfAccount(String account) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM consumed_event WHERE account_id = ?1")
                                .setParameter(1, account)
                                .getSingleResult())
                        .longValue());
    }

    private long unpublished(String invoice) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery(
                                        "SELECT count(*) FROM event_store WHERE aggregate_id = ?1 AND published_at IS NULL")
                                .setParameter(1, invoice)
                                .getSingleResult())
                        .longValue());
    }
}
