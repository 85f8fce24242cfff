package io.cloudnexus.cluster;

import static io.cloudnexus.cluster.ClusterTesting.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Bad input is a 400 naming the field (and the valid values); unknown or another account's cluster is a 404. */
@QuarkusTest
@ServiceTest
class ClusterInputTest {

    private static final String POOL = "{\"name\":\"w\",\"size\":\"s-2vcpu-4gb\",\"count\":1}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "name missing         | {\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[POOL]}                       | name",
                "name invalid         | {\"name\":\"-x y\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[POOL]}      | name",
                "region unknown       | {\"name\":\"a\",\"region\":\"mars-1\",\"version\":\"1.30\",\"node_pools\":[POOL]}           | region",
                "version unknown      | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.12\",\"node_pools\":[POOL]}        | version",
                "version a number     | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":[1],\"node_pools\":[POOL]}             | version",
                "no node pools        | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[]}            | node_pools",
                "node pools missing   | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\"}                              | node_pools",
                "size unknown         | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[POOL,{\"name\":\"b\",\"size\":\"huge\",\"count\":1}]} | node_pools[1].size",
                "count zero           | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[{\"name\":\"b\",\"size\":\"s-2vcpu-4gb\",\"count\":0}]} | node_pools[0].count",
                "count too large      | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[{\"name\":\"b\",\"size\":\"s-2vcpu-4gb\",\"count\":51}]} | node_pools[0].count",
                "count not a number   | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[{\"name\":\"b\",\"size\":\"s-2vcpu-4gb\",\"count\":\"three\"}]} | node_pools[0].count",
                "pool name missing    | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[{\"size\":\"s-2vcpu-4gb\",\"count\":1}]} | node_pools[0].name",
                "pool names repeated  | {\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":[POOL,POOL]}   | node_pools[1].name",
            })
    void badClusterInputIsA400NamingTheField(String what, String body, String field) {
        Response r =
                as(ClusterTesting.newAccount()).body(body.replace("POOL", POOL)).post("/clusters/k8s");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("errors[0].field")).as(r.asString()).isEqualTo(field);
        assertThat(r.asString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void closedSetsListTheirValidValues() {
        Response r = as(ClusterTesting.newAccount())
                .body(ClusterTesting.body("[{\"name\":\"w\",\"size\":\"s-1vcpu-1gb\",\"count\":1}]"))
                .post("/clusters/k8s");
        assertThat(r.jsonPath().getList("errors[0].valid_values"))
                .containsExactly("s-2vcpu-4gb", "s-4vcpu-8gb", "s-8vcpu-16gb");
        Response v = as(ClusterTesting.newAccount())
                .body("{\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"2.0\"," + "\"node_pools\":[" + POOL
                        + "]}")
                .post("/clusters/k8s");
        assertThat(v.jsonPath().getList("errors[0].valid_values")).containsExactly("1.29", "1.30", "1.31");
        assertThat(as(ClusterTesting.newAccount())
                        .body("not json")
                        .post("/clusters/k8s")
                        .statusCode())
                .isEqualTo(400);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "image missing      | {\"replicas\":1}                               | image",
                "image with spaces  | {\"image\":\"nginx latest\",\"replicas\":1}   | image",
                "replicas missing   | {\"image\":\"nginx:1.27\"}                     | replicas",
                "replicas zero      | {\"image\":\"nginx:1.27\",\"replicas\":0}      | replicas",
                "replicas too many  | {\"image\":\"nginx:1.27\",\"replicas\":1001}   | replicas",
                "replicas a string  | {\"image\":\"nginx:1.27\",\"replicas\":\"x\"}  | replicas",
            })
    void badDeploymentInputIsA400NamingTheField(String what, String body, String field) {
        String account = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(account, "s-2vcpu-4gb", 1);
        Response r = as(account).body(body).post("/clusters/k8s/" + id + "/deployments");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("errors[0].field")).as(r.asString()).isEqualTo(field);
    }

    @Test
    void anotherAccountsClusterIsNotFoundEverywhere() {
        String owner = ClusterTesting.newAccount();
        String id = ClusterTesting.createCluster(owner, "s-2vcpu-4gb", 1);
        String dep = as(owner)
                .body("{\"image\":\"nginx:1.27\",\"replicas\":1}")
                .post("/clusters/k8s/" + id + "/deployments")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String stranger = ClusterTesting.newAccount();

        assertThat(as(stranger).get("/clusters/k8s/" + id).statusCode()).isEqualTo(404);
        assertThat(as(stranger).delete("/clusters/k8s/" + id).statusCode()).isEqualTo(404);
        assertThat(as(stranger)
                        .body("{\"count\":3}")
                        .put("/clusters/k8s/" + id + "/node_pools/workers")
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(stranger)
                        .body("{\"image\":\"nginx:1.27\",\"replicas\":1}")
                        .post("/clusters/k8s/" + id + "/deployments")
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(stranger).get("/clusters/k8s/" + id + "/deployments").statusCode())
                .isEqualTo(404);
        assertThat(as(stranger)
                        .get("/clusters/k8s/" + id + "/deployments/" + dep)
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(owner).get("/clusters/k8s/cls_doesnotexist").statusCode()).isEqualTo(404);
        assertThat(as(owner).delete("/clusters/k8s/not-an-id").statusCode()).isEqualTo(404);
        assertThat(as(owner)
                        .get("/clusters/k8s/" + id + "/deployments/dep_doesnotexist")
                        .statusCode())
                .isEqualTo(404);
        assertThat(as(owner).get("/clusters/k8s/" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void changesNeedTheWriteScope() {
        String account = ClusterTesting.newAccount();
        Response r = given().auth()
                .oauth2(IdentityTokens.mint(account, "starter", Set.of("read")))
                .contentType(ContentType.JSON)
                .body(ClusterTesting.body("[" + POOL + "]"))
                .post("/clusters/k8s");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(given().auth()
                        .oauth2(IdentityTokens.mint(account, "starter", Set.of("read")))
                        .get("/clusters/k8s")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void textNoTableCanStoreIsA400NamingTheFieldInBodiesPathsAndQueries() {
        String account = io.cloudnexus.contracts.ResourceIds.newId(io.cloudnexus.contracts.ResourceIds.ACCOUNT);
        Response body = as(account)
                .body("{\"name\":\"a\",\"region\":\"eu-west-1\",\"version\":\"1.30\","
                        + "\"node_pools\":[{\"name\":\"w\\u0000\",\"size\":\"s-2vcpu-4gb\",\"count\":1}]}")
                .post("/clusters/k8s");
        assertThat(body.statusCode()).as(body.asString()).isEqualTo(400);
        assertThat(body.jsonPath().getString("errors[0].field")).isEqualTo("node_pools[0].name");
        assertThat(body.jsonPath().getString("errors[0].message")).contains("control characters");
        for (String path : new String[] {
            "/clusters/k8s/cls_%00x", "/clusters/k8s/cls_%00x/deployments", "/clusters/k8s/cls_x/deployments/dep_%00x"
        }) {
            Response r = as(account).urlEncodingEnabled(false).get(path);
            assertThat(r.statusCode()).as(path + " " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        Response page = as(account).urlEncodingEnabled(false).get("/clusters/k8s?starting_after=cls_%00x");
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(400);
        assertThat(page.jsonPath().getString("errors[0].field")).isEqualTo("starting_after");
    }
}
