package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cloudnexus.webhook.delivery.AttemptResult;
import io.cloudnexus.webhook.outbound.SenderFixture.Timed;

/**
 * One deadline per attempt: resolving, connecting and the response together fit in {@code outbound.timeout}
 * from the attempt's start; lookups run on the resolver's own bounded pool (a hanging DNS answer for one host
 * does not delay another host, concurrent lookups of one host are shared, a saturated pool fails at once);
 * every resolved address is checked, including IPv4 carried in IPv6.
 */
class AttemptDeadlineTest {

    private static final long DEADLINE_MS = 1_500;
    private static final long SLACK_MS = 1_000;

    private static RawReceiver okAfter(long millis) {
        return RawReceiver.start((socket, in, out) -> {
            while (true) { // keep-alive: answer every request on the connection
                RawReceiver.readRequest(in);
                if (millis > 0) {
                    Thread.sleep(millis);
                }
                RawReceiver.write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            }
        });
    }

    @Test
    void aSlowLookupAndASlowResponseShareOneDeadline() throws Exception {
        long part = DEADLINE_MS * 6 / 10; // each phase alone fits, both together do not
        try (SenderFixture fixture = new SenderFixture("cloudnexus.webhooks.outbound.timeout", DEADLINE_MS + "ms");
                RawReceiver receiver = okAfter(part)) {
            fixture.lookup
                    .answer("slow-dns.test", InetAddress.getByName("127.0.0.1"))
                    .delay("slow-dns.test", SenderFixture.millis(part));
            Timed t = fixture.attempt(receiver.url("http", "slow-dns.test", "/hook"));
            assertThat(t.result().errorClass()).isEqualTo("timeout");
            assertThat(t.result().latencyMs())
                    .as("latency counts from the start of the attempt")
                    .isGreaterThanOrEqualTo(DEADLINE_MS - 50);
            assertThat(t.wallMillis())
                    .as("the whole attempt, lookup included, ends at the deadline")
                    .isBetween(DEADLINE_MS - 100, DEADLINE_MS + SLACK_MS);
        }
    }

    @Test
    void aLookupThatNeverAnswersIsADnsErrorAtTheDeadline() throws Exception {
        try (SenderFixture fixture = new SenderFixture("cloudnexus.webhooks.outbound.timeout", DEADLINE_MS + "ms")) {
            fixture.lookup.hang("black-hole.test");
            Timed t = fixture.attempt("http://black-hole.test:9/hook");
            assertThat(t.result().errorClass()).isEqualTo("dns_error");
            assertThat(t.result().excerpt()).contains("no DNS answer for black-hole.test");
            assertThat(t.wallMillis()).isBetween(DEADLINE_MS - 100, DEADLINE_MS + SLACK_MS);
        }
    }

    @Test
    void aHangingLookupForOneHostDoesNotDelayAnotherHost() throws Exception {
        // 2 resolver threads, while 40 attempts to the hanging host are in flight
        try (SenderFixture fixture = new SenderFixture(
                        "cloudnexus.webhooks.outbound.timeout",
                        "3s",
                        "cloudnexus.webhooks.outbound.resolver-threads",
                        "2");
                RawReceiver receiver = okAfter(0)) {
            fixture.lookup.hang("hanging.test").answer("healthy.test", InetAddress.getByName("127.0.0.1"));
            List<CompletableFuture<AttemptResult>> hanging = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                hanging.add(fixture.send("http://hanging.test:9/hook"));
            }
            for (int i = 0; i < 10; i++) {
                Timed healthy = fixture.attempt(receiver.url("http", "healthy.test", "/hook"));
                assertThat(healthy.result().statusCode()).isEqualTo(200);
                assertThat(healthy.wallMillis())
                        .as("not queued behind the hanging host")
                        .isLessThan(2_000);
            }
            assertThat(hanging).noneMatch(CompletableFuture::isDone);
            assertThat(fixture.lookup.lookups("hanging.test"))
                    .as("concurrent lookups of one host are shared")
                    .isEqualTo(1);
            for (CompletableFuture<AttemptResult> f : hanging) {
                assertThat(f.get(10, TimeUnit.SECONDS).errorClass()).isEqualTo("dns_error");
            }
        }
    }

    @Test
    void aSaturatedResolverFailsTheAttemptAtOnce() throws Exception {
        try (SenderFixture fixture = new SenderFixture(
                "cloudnexus.webhooks.outbound.timeout",
                "3s",
                "cloudnexus.webhooks.outbound.resolver-threads",
                "1",
                "cloudnexus.webhooks.outbound.resolver-queue",
                "1")) {
            fixture.lookup.hang("h1.test").hang("h2.test").hang("h3.test");
            CompletableFuture<AttemptResult> running = fixture.send("http://h1.test:9/");
            org.awaitility.Awaitility.await().until(() -> fixture.lookup.lookups("h1.test") == 1);
            CompletableFuture<AttemptResult> queued = fixture.send("http://h2.test:9/");
            Timed rejected = fixture.attempt("http://h3.test:9/");
            assertThat(rejected.result().errorClass()).isEqualTo("dns_error");
            assertThat(rejected.result().excerpt()).contains("saturated");
            assertThat(rejected.wallMillis())
                    .as("fails fast instead of queueing")
                    .isLessThan(1_000);
            assertThat(running).isNotDone();
            assertThat(queued).isNotDone();
        }
    }

    @Test
    void everyResolvedAddressIsCheckedAndIpv4InIpv6IsCheckedAsIpv4() throws Exception {
        try (SenderFixture fixture = new SenderFixture(
                        "cloudnexus.webhooks.outbound.allow-private",
                        "false",
                        "cloudnexus.webhooks.outbound.allow-list",
                        "127.0.0.1/32");
                RawReceiver allowed = okAfter(0);
                RawReceiver internal = RawReceiver.start("127.0.0.2", (socket, in, out) -> {
                    RawReceiver.readRequest(in);
                    RawReceiver.write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                })) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            fixture.lookup
                    .answer("public.test", loopback)
                    .answer("second-is-private.test", loopback, ScriptedNameLookup.mapped("127.0.0.2"))
                    .answer("mapped-metadata.test", ScriptedNameLookup.mapped("169.254.169.254"))
                    .answer(
                            "nat64-private.test",
                            ScriptedNameLookup.embedding(
                                    new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, 12, "127.0.0.2"));
            assertThat(fixture.attempt(allowed.url("http", "public.test", "/"))
                            .result()
                            .statusCode())
                    .isEqualTo(200);

            AttemptResult mixed = fixture.attempt(allowed.url("http", "second-is-private.test", "/"))
                    .result();
            assertThat(mixed.errorClass()).isEqualTo("refused_address");
            assertThat(mixed.excerpt()).contains("127.0.0.2").contains("one of the 2 addresses");

            AttemptResult metadata = fixture.attempt("http://mapped-metadata.test:" + internal.port() + "/")
                    .result();
            assertThat(metadata.errorClass()).isEqualTo("refused_address");
            assertThat(metadata.excerpt()).contains("metadata");

            AttemptResult nat64 = fixture.attempt("http://nat64-private.test:" + internal.port() + "/")
                    .result();
            assertThat(nat64.errorClass()).isEqualTo("refused_address");
            assertThat(nat64.excerpt()).contains("NAT64").contains("127.0.0.2");

            assertThat(allowed.connections())
                    .as("no connection when any address is refused")
                    .isEqualTo(1);
            assertThat(internal.connections()).isZero();
        }
    }
}
