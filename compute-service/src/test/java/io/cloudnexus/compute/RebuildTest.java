package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.eventstore.projection.ProjectionRebuilder;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** Replaying the event store into emptied read models gives back exactly the live rows. */
@QuarkusTest
@ServiceTest
class RebuildTest {

    @Inject
    ProjectionRebuilder rebuilder;

    @Inject
    DataSource dataSource;

    @Test
    void rebuiltProjectionsEqualTheLiveOnes() throws Exception {
        String account = ComputeTesting.newAccount();
        String a = ComputeTesting.createServer(account);
        String b = ComputeTesting.createServer(account);
        ComputeTesting.createServer(account);
        ComputeTesting.awaitActive(account, a);
        ComputeTesting.awaitActive(account, b);
        as(account)
                .body("{\"name\":\"renamed\",\"plan\":\"enterprise\"}")
                .put("/servers/" + a)
                .then()
                .statusCode(200);
        as(account)
                .body("{\"rules\":[{\"direction\":\"outbound\",\"protocol\":\"udp\",\"port_range\":\"53\","
                        + "\"source\":\"0.0.0.0/0\"}]}")
                .put("/servers/" + a + "/firewall")
                .then()
                .statusCode(200);
        as(account).post("/servers/" + a + "/backups").then().statusCode(202);
        as(account).body("{}").post("/servers/" + b + "/threats").then().statusCode(201);
        as(account).delete("/servers/" + b).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM backup_request") == 0
                        && count("SELECT count(*) FROM server WHERE status = 'provisioning'") == 0);

        List<Map<String, Object>> servers = rows("SELECT * FROM server ORDER BY id");
        List<Map<String, Object>> backups = rows("SELECT * FROM backup ORDER BY id");
        assertThat(servers).hasSizeGreaterThanOrEqualTo(3);
        assertThat(backups).isNotEmpty();

        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("UPDATE server SET name = 'corrupted', version = 0"); // a damaged read model
            s.execute("DELETE FROM backup");
        }
        long replayed = rebuilder.rebuild();

        assertThat(replayed).isEqualTo(count("SELECT count(*) FROM event_store"));
        assertThat(rows("SELECT * FROM server ORDER BY id")).isEqualTo(servers);
        assertThat(rows("SELECT * FROM backup ORDER BY id")).isEqualTo(backups);
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Map<String, Object>> rows(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
