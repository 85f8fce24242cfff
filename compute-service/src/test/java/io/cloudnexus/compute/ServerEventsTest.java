package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static io.cloudnexus.testsupport.TopicReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.testsupport.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The server lifecycle through the API, and what arrives on compute.events (real Kafka, real PostgreSQL). */
@QuarkusTest
@ServiceTest
class ServerEventsTest {

    @Test
    void countTwoCreatesTwoServersWhoseCreatedThenProvisionedEventsArriveOnComputeEvents() {
        String account = ComputeTesting.newAccount();
        Response created = as(account).body(ComputeTesting.createBody(2)).post("/servers");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        List<String> ids = created.jsonPath().getList("servers.id");
        assertThat(ids)
                .hasSize(2)
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).startsWith("srv_"));
        assertThat(created.jsonPath().getString("id")).isEqualTo(ids.get(0));
        assertThat(created.jsonPath().getMap("$"))
                .containsAllEntriesOf(created.jsonPath().getMap("servers[0]"));
        assertThat(created.asString()).startsWith("{\"id\":\"" + ids.get(0) + "\"");
        assertThat(created.jsonPath().getString("status")).isEqualTo("provisioning");
        assertThat(created.jsonPath().getList("servers.status")).containsOnly("provisioning");
        assertThat(created.jsonPath().getInt("version")).isEqualTo(1);
        assertThat(created.header("Location")).isEqualTo("/servers/" + ids.get(0));
        ids.forEach(id -> ComputeTesting.awaitActive(account, id));
        assertThat(as(account).get("/servers/" + ids.get(1)).jsonPath().getString("ip"))
                .matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(
                Topics.COMPUTE_EVENTS, Set.copyOf(ids), r -> r.size() >= 4, Duration.ofSeconds(30));
        Map<String, List<ConsumerRecord<String, byte[]>>> byServer =
                records.stream().collect(Collectors.groupingBy(ConsumerRecord::key));
        assertThat(byServer).containsOnlyKeys(ids);
        for (String id : ids) {
            List<ConsumerRecord<String, byte[]>> events = byServer.get(id);
            assertThat(events)
                    .extracting(r -> header(r, CloudEventHeaders.TYPE))
                    .containsExactly("server.created", "server.provisioned");
            for (ConsumerRecord<String, byte[]> r : events) {
                assertThat(header(r, CloudEventHeaders.SPECVERSION)).isEqualTo("1.0");
                assertThat(EventIds.isValid(header(r, CloudEventHeaders.ID))).isTrue();
                assertThat(header(r, CloudEventHeaders.SOURCE)).isEqualTo("/cloudnexus/compute-service");
                assertThat(header(r, CloudEventHeaders.SUBJECT)).isEqualTo(id);
                assertThat(header(r, CloudEventHeaders.ACCOUNT_ID)).isEqualTo(account);
                assertThat(header(r, CloudEventHeaders.TIME)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
                String value = new String(r.value(), StandardCharsets.UTF_8);
                assertThat(value).isEqualTo(CanonicalJson.canonicalize(value));
                assertThat(EventCatalog.load().validate(header(r, CloudEventHeaders.TYPE), CanonicalJson.parse(value)))
                        .isEmpty();
                assertThat(CanonicalJson.parse(value).path("server_id").asText())
                        .isEqualTo(id);
            }
            assertThat(CanonicalJson.parse(events.get(1).value()).path("ip").asText())
                    .isEqualTo(as(account).get("/servers/" + id).jsonPath().getString("ip"));
        }
    }

    @Test
    void renameScaleFirewallBackupThreatAndTerminateAreRecordedAndPublished() {
        String account = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(account);
        ComputeTesting.awaitActive(account, id);

        Response renamed = as(account).body("{\"name\":\"web-frontend\"}").put("/servers/" + id);
        assertThat(renamed.statusCode()).as(renamed.asString()).isEqualTo(200);
        assertThat(renamed.jsonPath().getString("name")).isEqualTo("web-frontend");
        assertThat(renamed.jsonPath().getInt("version")).isEqualTo(3);
        Response scaled = as(account).body("{\"plan\":\"enterprise\"}").put("/servers/" + id);
        assertThat(scaled.jsonPath().getString("plan")).isEqualTo("enterprise");

        Response firewall = as(account)
                .body("{\"rules\":[{\"direction\":\"inbound\",\"protocol\":\"tcp\","
                        + "\"port_range\":\"22\",\"source\":\"203.0.113.0/24\"},{\"direction\":\"inbound\",\"protocol\":\"icmp\","
                        + "\"source\":\"0.0.0.0/0\"}]}")
                .put("/servers/" + id + "/firewall");
        assertThat(firewall.statusCode()).as(firewall.asString()).isEqualTo(200);
        assertThat(firewall.jsonPath().getString("id")).startsWith("fw_");
        assertThat(firewall.jsonPath().getInt("rules_count")).isEqualTo(2);
        assertThat(as(account).get("/servers/" + id + "/firewall").jsonPath().getString("rules[0].port_range"))
                .isEqualTo("22");

        Response backup = as(account).post("/servers/" + id + "/backups");
        assertThat(backup.statusCode()).as(backup.asString()).isEqualTo(202);
        assertThat(backup.jsonPath().getString("status")).isEqualTo("pending");
        String backupId = backup.jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "completed"
                        .equals(as(account)
                                .get("/servers/" + id + "/backups")
                                .jsonPath()
                                .getString("data[0].status")));
        assertThat(as(account).get("/servers/" + id + "/backups").jsonPath().getString("data[0].id"))
                .isEqualTo(backupId);

        Response threat = as(account).body("{\"attack_type\":\"PORT_SCAN\"}").post("/servers/" + id + "/threats");
        assertThat(threat.statusCode()).as(threat.asString()).isEqualTo(201);
        assertThat(threat.jsonPath().getString("attack_type")).isEqualTo("PORT_SCAN");

        Response terminated = as(account).delete("/servers/" + id);
        assertThat(terminated.jsonPath().getString("status")).isEqualTo("terminated");
        assertThat(as(account)
                        .body("{\"name\":\"again\"}")
                        .put("/servers/" + id)
                        .statusCode())
                .isEqualTo(409);
        assertThat(as(account).delete("/servers/" + id).statusCode()).isEqualTo(409);
        assertThat(as(account).post("/servers/" + id + "/backups").statusCode()).isEqualTo(409);
        assertThat(as(account)
                        .body("{\"rules\":[]}")
                        .put("/servers/" + id + "/firewall")
                        .statusCode())
                .isEqualTo(409);

        List<String> expected = List.of(
                "server.created",
                "server.provisioned",
                "server.renamed",
                "server.scaled",
                "firewall.updated",
                "backup.completed",
                "security.threat.detected",
                "server.terminated");
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(
                Topics.COMPUTE_EVENTS, Set.of(id), r -> r.size() >= expected.size(), Duration.ofSeconds(30));
        assertThat(records).extracting(r -> header(r, CloudEventHeaders.TYPE)).containsExactlyElementsOf(expected);
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(EventCatalog.load().validate(header(r, CloudEventHeaders.TYPE), CanonicalJson.parse(r.value())))
                    .as(header(r, CloudEventHeaders.TYPE))
                    .isEmpty();
        }
        assertThat(CanonicalJson.parse(records.get(5).value()).path("backup_id").asText())
                .isEqualTo(backupId);
        assertThat(as(account).get("/servers/" + id).jsonPath().getInt("version"))
                .isEqualTo(8);
    }

    @Test
    void listsNewestFirstWithCursorPaginationAndFilters() {
        String account = ComputeTesting.newAccount();
        String first = ComputeTesting.createServer(account);
        String second = ComputeTesting.createServer(account);
        String third = as(account)
                .body("{\"region\":\"eu-west-1\",\"plan\":\"professional\",\"image\":\"debian-12\","
                        + "\"name\":\"db\"}")
                .post("/servers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        Response page1 = as(account).get("/servers?limit=2");
        assertThat(page1.jsonPath().getList("data.id")).containsExactly(third, second);
        assertThat(page1.jsonPath().getBoolean("has_more")).isTrue();
        Response page2 = as(account).get("/servers?limit=2&starting_after=" + second);
        assertThat(page2.jsonPath().getList("data.id")).containsExactly(first);
        assertThat(page2.jsonPath().getBoolean("has_more")).isFalse();

        assertThat(as(account).get("/servers?region=eu-west-1").jsonPath().getList("data.id"))
                .containsExactly(third);
        assertThat(as(account).get("/servers?region=eu-west-1").jsonPath().getString("data[0].name"))
                .isEqualTo("db");
        as(account).delete("/servers/" + first).then().statusCode(200);
        assertThat(as(account).get("/servers?status=terminated").jsonPath().getList("data.id"))
                .containsExactly(first);
        assertThat(ComputeTesting.as(ComputeTesting.newAccount())
                        .get("/servers")
                        .jsonPath()
                        .getList("data"))
                .isEmpty();
    }

    @Test
    void servesTheValidRegionsPlansAndImages() {
        String account = ComputeTesting.newAccount();
        assertThat(as(account).get("/regions").jsonPath().getList("data.id")).contains("us-east-1");
        assertThat(as(account).get("/plans").jsonPath().getList("data.id"))
                .containsExactly("starter", "professional", "enterprise");
        assertThat(as(account).get("/plans").jsonPath().getInt("data[0].memory_gb"))
                .isPositive();
        assertThat(as(account).get("/images").jsonPath().getList("data.id")).contains("ubuntu-22.04");
    }
}
