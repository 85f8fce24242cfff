package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Text PostgreSQL cannot store or compare (NUL), other control characters and unpaired surrogates are refused at
 * the edge, in bodies, paths and query strings, as a 400 naming the field: never a 500.
 */
@QuarkusTest
@ServiceTest
class UnstorableTextTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"web\\u0000one", "web\\u0007", "web\\u007f", "web\\u009b", "web\\ud800x", "\\udc00"})
    void aBodyStringWithAControlCharacterOrALoneSurrogateIsA400NamingTheField(String name) {
        String account = ComputeTesting.newAccount();
        Response r = as(account)
                .body("{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\"," + "\"name\":\""
                        + name + "\"}")
                .post("/servers");
        assertProblem(r, "name");
        assertThat(r.jsonPath().getString("errors[0].message")).contains("control character");
        assertThat(as(account).get("/servers").jsonPath().getList("data")).isEmpty();
    }

    @Test
    void nestedFieldsAreNamedByTheirPath() {
        String account = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(account);
        Response r = as(account)
                .body("{\"rules\":[{\"direction\":\"inbound\",\"protocol\":\"tcp\",\"port_range\":\"22\","
                        + "\"source\":\"0.0.0.0/0\"},{\"direction\":\"inbound\",\"protocol\":\"tcp\",\"port_range\":\"2\\u00002\","
                        + "\"source\":\"0.0.0.0/0\"}]}")
                .put("/servers/" + id + "/firewall");
        assertProblem(r, "rules[1].port_range");
    }

    @Test
    void aPathOrQueryParameterWithANulIsA400NamingTheParameter() {
        String account = ComputeTesting.newAccount();
        assertProblem(as(account).urlEncodingEnabled(false).get("/servers/srv_%00x"), "id");
        assertProblem(as(account).urlEncodingEnabled(false).get("/servers/srv_%00x/firewall"), "id");
        assertProblem(as(account).urlEncodingEnabled(false).get("/servers/srv_%00x/backups"), "id");
        assertProblem(as(account).urlEncodingEnabled(false).get("/servers?starting_after=srv_%00x"), "starting_after");
        assertProblem(as(account).urlEncodingEnabled(false).get("/servers?limit=5&status=%0d%0aactive"), "status");
    }

    private static void assertProblem(Response r, String field) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo(field);
        assertThat(r.asString()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
