package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Client mistakes are 400 problem details naming the field; other accounts' servers do not exist (404). */
@QuarkusTest
@ServiceTest
class BadInputTest {

    @ParameterizedTest(name = "{0} -> field {1}")
    @CsvSource(delimiter = '|', textBlock = """
        {"plan":"starter","image":"ubuntu-22.04"}                                  | region  | us-east-1
        {"region":"mars-north-1","plan":"starter","image":"ubuntu-22.04"}          | region  | us-east-1
        {"region":"us-east-1","plan":"gigantic","image":"ubuntu-22.04"}            | plan    | enterprise
        {"region":"us-east-1","plan":"starter","image":"windows-95"}               | image   | ubuntu-22.04
        {"region":"us-east-1","plan":"starter"}                                    | image   | ubuntu-22.04
        {"region":"us-east-1","plan":"starter","image":"ubuntu-22.04","count":0}   | count   |
        {"region":"us-east-1","plan":"starter","image":"ubuntu-22.04","count":11}  | count   |
        {"region":"us-east-1","plan":"starter","image":"ubuntu-22.04","count":"two"} | count |
        {"region":"us-east-1","plan":"starter","image":"ubuntu-22.04","count":[1]} | count   |
        {"region":7,"plan":"starter","image":"ubuntu-22.04"}                       | region  | us-east-1
        {"region":"us-east-1","plan":"starter","image":"ubuntu-22.04","name":"no spaces"} | name |
        """)
    void createRefusesBadFieldsNamingThem(String body, String field, String validValue) {
        String account = ComputeTesting.newAccount();
        Response r = as(account).body(body).post("/servers");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo(field);
        assertThat(r.jsonPath().getString("detail")).contains(field);
        if (validValue != null && !validValue.isBlank() && !body.contains(":7,")) {
            assertThat(r.jsonPath().getList("errors[0].valid_values", String.class))
                    .contains(validValue);
        }
        assertThat(as(account).get("/servers").jsonPath().getList("data")).isEmpty();
    }

    @Test
    void malformedJsonAndMissingBodyAre400() {
        String account = ComputeTesting.newAccount();
        Response malformed = as(account).body("{\"region\":").post("/servers");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.asString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(as(account).post("/servers").statusCode()).isEqualTo(400);
    }

    @Test
    void badUpdatesFirewallsAndQueriesAre400() {
        String account = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(account);
        assertThat(field(as(account).body("{\"plan\":\"huge\"}").put("/servers/" + id)))
                .isEqualTo("plan");
        assertThat(as(account).body("{}").put("/servers/" + id).statusCode()).isEqualTo(400);
        assertThat(field(as(account)
                        .body("{\"rules\":[{\"direction\":\"inbound\",\"protocol\":\"tcp\","
                                + "\"source\":\"0.0.0.0/0\"}]}")
                        .put("/servers/" + id + "/firewall")))
                .isEqualTo("rules[0].port_range");
        assertThat(field(as(account)
                        .body("{\"rules\":[{\"direction\":\"inbound\",\"protocol\":\"gre\","
                                + "\"source\":\"0.0.0.0/0\"}]}")
                        .put("/servers/" + id + "/firewall")))
                .isEqualTo("rules[0].protocol");
        assertThat(field(as(account)
                        .body("{\"rules\":[{\"direction\":\"in\",\"protocol\":\"udp\",\"port_range\":\"53\","
                                + "\"source\":\"10.0.0.0/8\"}]}")
                        .put("/servers/" + id + "/firewall")))
                .isEqualTo("rules[0].direction");
        assertThat(field(as(account)
                        .body("{\"rules\":[{\"direction\":\"inbound\",\"protocol\":\"udp\",\"port_range\":\"53\","
                                + "\"source\":\"everyone\"}]}")
                        .put("/servers/" + id + "/firewall")))
                .isEqualTo("rules[0].source");
        assertThat(field(as(account).body("{\"attack_type\":\"SMURF\"}").post("/servers/" + id + "/threats")))
                .isEqualTo("attack_type");
        assertThat(field(as(account).get("/servers?limit=0"))).isEqualTo("limit");
        assertThat(field(as(account).get("/servers?status=sleeping"))).isEqualTo("status");
        assertThat(field(as(account).get("/servers?region=atlantis-1"))).isEqualTo("region");
        assertThat(field(as(account).get("/servers?starting_after=srv_unknown")))
                .isEqualTo("starting_after");
        assertThat(as(account).get("/servers/" + id).jsonPath().getInt("version"))
                .isLessThanOrEqualTo(2);
    }

    @Test
    void anotherAccountsServerAndUnknownIdsAre404() {
        String owner = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(owner);
        String stranger = ComputeTesting.newAccount();

        assertThat(as(stranger).get("/servers/" + id).statusCode()).isEqualTo(404);
        assertThat(as(stranger)
                        .body("{\"name\":\"mine\"}")
                        .put("/servers/" + id)
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(stranger).delete("/servers/" + id).statusCode()).isEqualTo(404);
        assertThat(as(stranger).post("/servers/" + id + "/backups").statusCode())
                .isEqualTo(404);
        assertThat(as(stranger).get("/servers/" + id + "/backups").statusCode()).isEqualTo(404);
        assertThat(as(stranger).get("/servers/" + id + "/firewall").statusCode())
                .isEqualTo(404);
        assertThat(as(stranger)
                        .body("{\"rules\":[]}")
                        .put("/servers/" + id + "/firewall")
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(stranger).body("{}").post("/servers/" + id + "/threats").statusCode())
                .isEqualTo(404);
        assertThat(as(stranger).get("/servers").jsonPath().getList("data")).isEmpty();
        Response unknown = as(owner).get("/servers/srv_doesnotexist");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(as(owner).delete("/servers/not-an-id").statusCode()).isEqualTo(404);
        assertThat(as(owner).get("/servers/" + id).jsonPath().getString("name")).isNotEqualTo("mine");
    }

    @Test
    void theOperatorIdentityHasNoAccountToActAs() {
        for (java.util.Set<String> groups : java.util.List.of(
                java.util.Set.of("read", "write", "operator"), java.util.Set.of("read", "write", "admin"))) {
            Response r = io.restassured.RestAssured.given()
                    .auth()
                    .oauth2(io.cloudnexus.testsupport.IdentityTokens.mint("operator", "enterprise", groups))
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body(ComputeTesting.createBody(1))
                    .post("/servers");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        String account = ComputeTesting.newAccount();
        Response forged = io.restassured.RestAssured.given()
                .auth()
                .oauth2(io.cloudnexus.testsupport.IdentityTokens.mint(
                        account, "enterprise", java.util.Set.of("read", "write", "operator")))
                .get("/servers");
        assertThat(forged.statusCode()).as(forged.asString()).isEqualTo(403);
    }

    private static String field(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        return r.jsonPath().getString("errors[0].field");
    }
}
