package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFiltersTest {

    private static final EventCatalog CATALOG = EventCatalog.load();

    @ParameterizedTest(name = "matches({0}, {1}) = {2}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
        server.created           | server.created           | true
        server.created           | server.provisioned       | false
        server.*                 | server.created           | true
        server.*                 | server.terminated        | true
        server.*                 | security.threat.detected | false
        server.*                 | server                   | false
        deployment.*             | deployment.failed        | true
        deployment.*             | cluster.created          | false
        cluster.*                | cluster.node.joined      | true
        cluster.*                | cluster.created          | true
        cluster.node.*           | cluster.node.joined      | true
        cluster.node.*           | cluster.created          | false
        security.*               | security.threat.detected | true
        billing.invoice.*        | billing.invoice.finalized | true
        *                        | webhook.endpoint.disabled | true
        *                        | anything.at.all          | true
        serv*                    | server.created           | false
        server*                  | server.created           | false
        *.created                | server.created           | false
        server.                  | server.created           | false
        .*                       | server.created           | false
        Server.created           | server.created           | false
        ' server.created'        | server.created           | false
        ''                       | server.created           | false
        server.**                | server.created           | false
        """)
    void matchingTable(String filter, String type, boolean expected) {
        assertThat(EventCatalog.matches(filter, type)).isEqualTo(expected);
        assertThat(EventFilters.matches(filter, type)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "isValidFilter({0}) = {1}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
        *                    | true
        server.created       | true
        webhook.endpoint.disabled | true
        server.*             | true
        cluster.*            | true
        cluster.node.*       | true
        deployment.*         | true
        billing.*            | true
        billing.invoice.*    | true
        serv*                | false
        foo.*                | false
        server.exploded      | false
        ''                   | false
        **                   | false
        server.created.*     | false
        cluster.node         | false
        SERVER.*             | false
        """)
    void validFilterTable(String filter, boolean expected) {
        assertThat(CATALOG.isValidFilter(filter)).isEqualTo(expected);
    }

    @Test
    void nullsNeverMatch() {
        assertThat(EventCatalog.matches(null, "server.created")).isFalse();
        assertThat(EventCatalog.matches("*", null)).isFalse();
        assertThat(CATALOG.isValidFilter(null)).isFalse();
    }

    @Test
    void typesMatchingListsTheSelectedCatalogTypes() {
        assertThat(CATALOG.typesMatching("server.*"))
                .containsExactly(
                        "server.created", "server.provisioned", "server.scaled", "server.renamed", "server.terminated");
        assertThat(CATALOG.typesMatching("deployment.*"))
                .containsExactly("deployment.started", "deployment.succeeded", "deployment.failed");
        assertThat(CATALOG.typesMatching("cluster.*"))
                .containsExactly("cluster.created", "cluster.node.joined", "cluster.scaled", "cluster.deleted");
        assertThat(CATALOG.typesMatching("*")).hasSize(CATALOG.types().size());
        assertThat(CATALOG.typesMatching("serv*")).isEmpty();
    }
}
