package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.outbound.RawReceiver;
import io.cloudnexus.webhook.outbound.ScriptedNameLookup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The SSRF table: each refused URL form answers 400 saying why; a redirect to a private address is not followed. */
@QuarkusTest
@TestProfile(SsrfProfile.class)
@ServiceTest
class SsrfTest {

    @Inject
    ScriptedNameLookup lookup;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.com/hook",
                "file:///etc/passwd",
                "gopher://example.com/",
                "javascript:alert(1)",
                "https://user:pass@example.com/hook",
                "https://example.com@127.0.0.2/hook",
                "https://@127.0.0.2/",
                "https://127.0.0.2/hook",
                "https://10.0.0.1/",
                "https://172.16.5.4/",
                "https://192.168.1.45/",
                "https://169.254.169.254/latest/meta-data/",
                "https://100.64.0.1/",
                "https://224.0.0.1/",
                "https://0.0.0.0/",
                "https://[::1]/",
                "https://[fe80::1]/",
                "https://[fd00::1]/",
                "https://[::ffff:127.0.0.2]/",
                "https://[::]/",
                "https://2130706433/",
                "https://0x7f000001/",
                "https://017700000001/",
                "https://0177.0.0.1/",
                "https://0x7f.0.0.1/",
                "https://127.1/",
                "https://127.000.000.001/",
                "https:///nohost",
                "not a url",
                "https://exa mple.com/",
                "https://example.com/#fragment"
            })
    void refusesUnsafeUrlsWithA400SayingWhy(String url) {
        Response response = Api.createEndpoint(ResourceIds.newId(ResourceIds.ACCOUNT), url, List.of("*"));
        assertThat(response.statusCode()).as(url + " -> " + response.asString()).isEqualTo(400);
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("errors[0].field")).isEqualTo("url");
        assertThat(problem.getString("errors[0].message")).isNotBlank();
    }

    @Test
    void aChangedUrlIsValidatedAgain() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String id = Api.createEndpoint(account, receiver.url("/ok"), List.of("*"))
                    .path("id");
            Response patched = Api.as(account)
                    .body("{\"url\":\"https://169.254.169.254/\"}")
                    .patch("/webhooks/" + id);
            assertThat(patched.statusCode()).isEqualTo(400);
            assertThat(patched.asString()).contains("metadata");
        }
    }

    @Test
    void aRedirectToAPrivateAddressIsNotFollowed() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        AtomicInteger privateHits = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 16);
        internal.createContext("/", exchange -> {
            privateHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String target = "http://127.0.0.2:" + internal.getAddress().getPort() + "/internal";
            receiver.defaultReply(Reply.status(302).withHeader("Location", target));
            String endpointId = Api.createEndpoint(account, receiver.url("/public"), List.of("server.*"))
                    .path("id");
            assertThat(Api.createEndpoint(account, target, List.of("*")).statusCode())
                    .isEqualTo(400);
            events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_redir", "{\"server_id\":\"srv_redir\"}");

            receiver.awaitCount(2, Duration.ofSeconds(30));
            String deliveryId = Api.as(account)
                    .get("/webhooks/" + endpointId + "/deliveries")
                    .jsonPath()
                    .getString("data[0].id");
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/deliveries/" + deliveryId + "/attempts")
                                    .jsonPath()
                                    .getList("status_code", Integer.class))
                            .hasSizeGreaterThanOrEqualTo(2)
                            .containsOnly(302));
            assertThat(privateHits.get()).isZero();
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void namesResolvingToIpv4InIpv6AreRefusedAndARebindToThemIsNeverConnected() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        lookup.answer("mapped-private.test", ScriptedNameLookup.mapped("127.0.0.2"))
                .answer("mapped-metadata.test", ScriptedNameLookup.mapped("169.254.169.254"))
                .answer(
                        "nat64-private.test",
                        ScriptedNameLookup.embedding(new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, 12, "10.0.0.1"));
        try (RecordingReceiver receiver = RecordingReceiver.start();
                RawReceiver internal = RawReceiver.start("127.0.0.2", receiver.port(), (socket, in, out) -> {
                    RawReceiver.readRequest(in);
                    RawReceiver.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                });
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            Response mapped =
                    Api.createEndpoint(account, "http://mapped-private.test:" + receiver.port() + "/", List.of("*"));
            assertThat(mapped.statusCode()).as(mapped.asString()).isEqualTo(400);
            assertThat(mapped.asString()).contains("127.0.0.2");
            Response metadata = Api.createEndpoint(account, "https://mapped-metadata.test/", List.of("*"));
            assertThat(metadata.statusCode()).isEqualTo(400);
            assertThat(metadata.asString()).contains("metadata");
            assertThat(Api.createEndpoint(account, "https://nat64-private.test/", List.of("*"))
                            .statusCode())
                    .isEqualTo(400);

            // accepted while the name answers the allowed address, then it rebinds: one of its answers is
            // ::ffff:127.0.0.2 (listening on the same port): the attempt is refused, nothing is connected
            lookup.answer("rebind.test", InetAddress.getByName("127.0.0.1"));
            Response created =
                    Api.createEndpoint(account, "http://rebind.test:" + receiver.port() + "/hook", List.of("server.*"));
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            String endpointId = created.path("id");
            lookup.answer("rebind.test", InetAddress.getByName("127.0.0.1"), ScriptedNameLookup.mapped("127.0.0.2"));
            events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_rebind", "{\"server_id\":\"srv_rebind\"}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String deliveryId = Api.as(account)
                        .get("/webhooks/" + endpointId + "/deliveries")
                        .jsonPath()
                        .getString("data[0].id");
                assertThat(deliveryId).isNotNull();
                JsonPath attempts = Api.as(account)
                        .get("/webhooks/deliveries/" + deliveryId + "/attempts")
                        .jsonPath();
                assertThat(attempts.getList("error_class", String.class))
                        .isNotEmpty()
                        .containsOnly("refused_address");
                assertThat(attempts.getString("[0].response_excerpt")).contains("127.0.0.2");
            });
            assertThat(receiver.received()).isEmpty();
            assertThat(internal.connections()).isZero();
        } finally {
            lookup.reset();
        }
    }

    @Test
    void aLookupWithoutAnswerAtCreationIsA503WithRetryAfter() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        lookup.hang("silent-dns.test").unknown("no-such-name.test");
        try {
            Response silent = Api.createEndpoint(account, "https://silent-dns.test/hook", List.of("*"));
            assertThat(silent.statusCode()).as(silent.asString()).isEqualTo(503);
            assertThat(silent.header("Retry-After")).isNotBlank();
            assertThat(silent.contentType()).startsWith("application/problem+json");
            assertThat(silent.jsonPath().getString("detail")).contains("silent-dns.test");
            Response unknown = Api.createEndpoint(account, "https://no-such-name.test/hook", List.of("*"));
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.jsonPath().getString("errors[0].message")).contains("does not resolve");
        } finally {
            lookup.reset();
        }
    }
}
