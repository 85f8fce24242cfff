package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Payloads that must be rejected or accepted, and the public docs' samples. */
class SchemaRulesTest {

    private static final EventCatalog CATALOG = EventCatalog.load();

    @ParameterizedTest(name = "{0} rejects {1}")
    @CsvSource(delimiter = '|', textBlock = """
        server.provisioned | {"server_id":"srv_a1","region":"us-east-1","status":"active"}
        server.provisioned | {"server_id":"srv-8x29k4","region":"us-east-1","status":"active","ip":"192.168.1.45"}
        server.provisioned | {"server_id":"srv_a1","region":"us-east-1","status":"running","ip":"192.168.1.45"}
        server.provisioned | {"server_id":"srv_a1","region":"us-east-1","status":"active","ip":"300.1.1.1"}
        server.provisioned | {"server_id":"srv_a1","region":"us-east-1","status":"active","ip":null}
        server.provisioned | {"server_id":"srv_a1\\n","region":"us-east-1","status":"active","ip":"10.0.0.1"}
        server.created     | {"server_id":"srv_a1","region":"us-east-1","status":"deleted","ip":null}
        server.created     | {"server_id":"cls_a1","region":"us-east-1","status":"provisioning","ip":null}
        server.created     | {"server_id":"srv_a1","region":"us-east-1","status":"provisioning"}
        server.scaled      | {"server_id":"srv_a1","previous_plan":"starter","plan":7,"region":"us-east-1"}
        server.renamed     | {"server_id":"srv_a1","previous_name":"web-1","name":""}
        server.renamed     | {"server_id":"srv_a1","name":"web-2"}
        server.terminated  | {"server_id":"srv_a1","region":"US East","status":"terminated"}
        backup.completed   | {"backup_id":"bkp_a1","server_id":"srv_a1","size_gb":"42","duration_seconds":10}
        backup.completed   | {"backup_id":"bkp_a1","server_id":"srv_a1","size_gb":4.5,"duration_seconds":10}
        backup.completed   | {"backup_id":"bkp_a1","server_id":"srv_a1","size_gb":-1,"duration_seconds":10}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[{"direction":"inbound","protocol":"tcp","source":"0.0.0.0/0"}],"rules_count":1}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[{"direction":"sideways","protocol":"icmp","source":"0.0.0.0/0"}],"rules_count":1}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[{"direction":"inbound","protocol":"udp","port_range":"53-","source":"0.0.0.0/0"}],"rules_count":1}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[{"direction":"inbound","protocol":"tcp","port_range":"22","source":"everyone"}],"rules_count":1}
        security.threat.detected | {"source_ip":"185.220.101.44","attack_type":"SYN_FLOOD","mitigated":"yes","packets_blocked":45200}
        security.threat.detected | {"source_ip":"185.220.101.44","attack_type":"SMURF","mitigated":true,"packets_blocked":45200}
        cluster.created    | {"cluster_id":"cls_a1","name":"x","region":"eu-west-1","version":"1.30","node_pools":[]}
        cluster.created    | {"cluster_id":"cls_a1","name":"x","region":"eu-west-1","version":"latest","node_pools":[{"name":"w","size":"s","count":1}]}
        cluster.node.joined | {"cluster_id":"cls_a1","node_id":"n1","node_pool":"w","size":"s","node_count":0}
        cluster.scaled     | {"cluster_id":"cls_a1","node_pool":"w","size":"s","previous_count":3,"count":0}
        deployment.failed  | {"deployment_id":"dep_a1","cluster_id":"cls_a1","image":"nginx","replicas":2,"reason":"Image Pull","message":"x"}
        deployment.started | {"deployment_id":"dep_a1","cluster_id":"cls_a1","image":"nginx"}
        billing.invoice.finalized | {"invoice_id":"inv_a1","account_id":"acc_a1","period_start":"2025-03-01","period_end":"2025-03-31T00:00:00Z","amount_due":100,"currency":"USD","line_items_count":1}
        billing.invoice.finalized | {"invoice_id":"inv_a1","account_id":"acc_a1","period_start":"2025-03-01","period_end":"2025-03-31","amount_due":100,"currency":"EUR","line_items_count":1}
        billing.invoice.finalized | {"invoice_id":"inv_a1","account_id":"acc_a1","period_start":"2025-02-30","period_end":"2025-03-31","amount_due":100,"currency":"USD","line_items_count":1}
        webhook.endpoint.disabled | {"endpoint_id":"whk_a1","url":"https://x.example","reason":"bored","failing_since":null}
        webhook.endpoint.disabled | {"endpoint_id":"whk_a1","url":"https://x.example","reason":"failing","failing_since":"2025-04-12T08:15:00.123Z"}
        """)
    void invalidPayloadsAreRejected(String type, String json) {
        assertThat(CATALOG.validate(type, CanonicalJson.parse(json))).isNotEmpty();
    }

    @ParameterizedTest(name = "{0} accepts {1}")
    @CsvSource(delimiter = '|', textBlock = """
        server.created     | {"server_id":"srv_a1","region":"us-east-1","status":"provisioning","ip":null}
        server.provisioned | {"server_id":"srv_a1","region":"us-east-1","status":"active","ip":"2001:db8::1"}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[],"rules_count":0}
        firewall.updated   | {"firewall_id":"fw_a1","server_id":"srv_a1","rules":[{"direction":"outbound","protocol":"icmp","source":"::/0"}],"rules_count":1}
        security.threat.detected | {"source_ip":"2001:db8::7","attack_type":"PORT_SCAN","mitigated":false,"packets_blocked":0,"server_id":"srv_a1"}
        deployment.failed  | {"deployment_id":"dep_a1","cluster_id":"cls_a1","image":"nginx:1.27","replicas":2,"reason":"insufficient_capacity","message":"no room"}
        webhook.endpoint.disabled | {"endpoint_id":"whk_a1","url":"https://x.example/hook","reason":"gone","failing_since":null}
        """)
    void validVariantsAreAccepted(String type, String json) {
        assertThat(CATALOG.validate(type, CanonicalJson.parse(json))).isEmpty();
    }

    @Test
    void violationsAreHumanReadable() {
        var violations = CATALOG.validate(
                "backup.completed",
                CanonicalJson.parse("{\"backup_id\":\"bkp_a1\",\"server_id\":\"srv_a1\",\"size_gb\":\"42\"}"));
        assertThat(violations).hasSize(2);
        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("duration_seconds").contains("required"));
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("size_gb").contains("integer"));
    }

    /** Verbatim from api-and-webhooks-reference.txt ("Webhook Payload Structure"). */
    private static final String DOCS_SERVER_CREATED = """
        {
          "event": "server.created",
          "id": "evt_9f8a7b6c5d4e",
          "timestamp": "2025-01-15T14:22:00Z",
          "data": {
            "server_id": "srv_2x9k4m",
            "region": "us-east-1",
            "ip": "10.244.1.5",
            "status": "running"
          }
        }
        """;

    /** Verbatim from api-and-webhooks-reference.txt ("Webhook Payload Structure"). */
    private static final String DOCS_THREAT_DETECTED = """
        {
          "event": "security.threat.detected",
          "id": "evt_1a2b3c4d5e6f",
          "timestamp": "2025-01-15T16:45:12Z",
          "data": {
            "source_ip": "185.220.101.44",
            "attack_type": "SYN_FLOOD",
            "mitigated": true,
            "packets_blocked": 45200
          }
        }
        """;

    @Test
    void thePublicDocsEnvelopesParseAndValidate() {
        for (String docs : new String[] {DOCS_SERVER_CREATED, DOCS_THREAT_DETECTED}) {
            EventEnvelope envelope = EventEnvelope.parse(docs);
            assertThat(CATALOG.validate(envelope.event(), envelope.data()))
                    .as(envelope.event())
                    .isEmpty();
            assertThat(EventEnvelope.parse(envelope.toJson())).isEqualTo(envelope);
        }
        assertThat(EventEnvelope.parse(DOCS_SERVER_CREATED).toJson())
                .isEqualTo("{\"event\":\"server.created\","
                        + "\"id\":\"evt_9f8a7b6c5d4e\",\"timestamp\":\"2025-01-15T14:22:00Z\",\"data\":{\"server_id\":"
                        + "\"srv_2x9k4m\",\"region\":\"us-east-1\",\"ip\":\"10.244.1.5\",\"status\":\"running\"}}");
    }

    @Test
    void generatedResourceIdsSatisfyTheSchemas() {
        JsonNode data = CanonicalJson.parse("{\"server_id\":\"" + ResourceIds.newId(ResourceIds.SERVER)
                + "\",\"region\":\"us-east-1\",\"status\":\"active\",\"ip\":\"10.0.0.1\"}");
        assertThat(CATALOG.validate("server.provisioned", data)).isEmpty();
        JsonNode invoice = CanonicalJson.parse("{\"invoice_id\":\"" + ResourceIds.newId(ResourceIds.INVOICE)
                + "\",\"account_id\":\"" + ResourceIds.newId(ResourceIds.ACCOUNT)
                + "\",\"period_start\":\"2025-03-01\","
                + "\"period_end\":\"2025-03-31\",\"amount_due\":0,\"currency\":\"USD\",\"line_items_count\":0}");
        assertThat(CATALOG.validate("billing.invoice.finalized", invoice)).isEmpty();
    }

    @Test
    void firewallSampleCountsItsRules() {
        JsonNode sample = CATALOG.get("firewall.updated").sample();
        assertThat(sample.path("rules_count").intValue())
                .isEqualTo(sample.path("rules").size());
    }
}
