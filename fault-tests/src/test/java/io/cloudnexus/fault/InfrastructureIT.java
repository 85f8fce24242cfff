package io.cloudnexus.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PlatformProcesses;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceProcess;
import io.cloudnexus.testsupport.TcpProxy;

/**
 * Scenario 3: the platform (api-gateway, compute-service, webhook-service) through three infrastructure faults
 * while an API client keeps creating servers and listing webhooks through the gateway:
 * <ol>
 * <li>the Kafka broker (its own JVM) is killed with SIGKILL and started again on the same ports and data;</li>
 * <li>PostgreSQL "restarts": a {@link TcpProxy} between every service and the server drops every connection and
 * refuses new ones for the outage (the real server is shared and stays up);</li>
 * <li>compute-service is killed between append and publish: its Kafka connection (a proxy) is cut, servers are
 * created (appended, not published), it is killed with SIGKILL, the proxy restored and it is started again.</li>
 * </ol>
 * Every created server's {@code server.created} reaches the webhook receiver, every service is ready again after
 * each fault without a restart (except the compute-service that was killed), and the client never sees a 500:
 * every 5xx is a 503 with {@code Retry-After} (or, for a POST in flight when its service died, a 502 with
 * {@code Retry-After}: it may have taken effect), and every request is answered within the client's timeout.
 */
class InfrastructureIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the API client saw in one phase. */
    static final class Seen {
        final Map<String, Integer> statuses = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final Set<String> servers = ConcurrentHashMap.newKeySet();
        volatile long readyAfterMillis = -1;
        volatile String readiness = "";
    }

    @Test
    void nothingIsLostAndClientsSeeNo500sThroughKafkaPostgresAndComputeFaults() throws Exception {
        Duration outage = FaultSettings.seconds("fault.infra.outage-seconds", 5);
        Duration recoverLimit = FaultSettings.seconds("fault.infra.recover-seconds", 60);
        Duration drainLimit = FaultSettings.seconds("fault.infra.drain-seconds", 60);
        Duration clientTimeout = FaultSettings.seconds("fault.infra.client-timeout-seconds", 10);
        int clientRate = FaultSettings.integer("fault.infra.client-rate", 3);
        int whileCut = FaultSettings.integer("fault.infra.servers-while-cut", 10);
        Duration ready = FaultSettings.seconds("fault.ready-seconds", 120);

        Path work = Path.of("target/fault/infra");
        PlatformProcesses platform = PlatformProcesses.in(work);
        RecordingReceiver receiver = RecordingReceiver.start();
        try (TcpProxy pg = TcpProxy.onFreePort()
                        .forwardTo(PostgresDatabaseResource.serverHost(), PostgresDatabaseResource.serverPort())
                        .restore();
                TcpProxy computeKafka = TcpProxy.onFreePort().restore();
                KafkaProcess kafka = KafkaProcess.start(work.resolve("kafka"), computeKafka);
                receiver) {
            kafka.createTopics(3, Topics.DOMAIN_TOPICS.toArray(String[]::new));
            String viaProxy = "127.0.0.1";
            ServiceProcess compute = platform.backend(
                    "compute-service",
                    "fault-infra-compute",
                    PostgresDatabaseResource.via(
                            PostgresDatabaseResource.recreate("cn_fault_infra_compute"), viaProxy, pg.port()),
                    kafka.proxiedBootstrapServers());
            ServiceProcess webhook = Fleet.webhook(
                    platform,
                    "fault-infra-webhook",
                    "infra",
                    PostgresDatabaseResource.via(
                            PostgresDatabaseResource.recreate("cn_fault_infra_webhook"), viaProxy, pg.port()),
                    kafka.bootstrapServers());
            ServiceProcess gateway = platform.gateway(
                    "fault-infra-gateway",
                    PostgresDatabaseResource.via(
                            PostgresDatabaseResource.recreate("cn_fault_infra_gateway"), viaProxy, pg.port()),
                    Map.of("compute", compute, "webhook", webhook));
            FaultSettings.serviceProperties().forEach((k, v) -> {
                compute.property(k, v);
                gateway.property(k, v);
            });
            List<ServiceProcess> services = List.of(compute, webhook, gateway);
            try (compute;
                    webhook;
                    gateway) {
                services.forEach(ServiceProcess::start);
                Fleet.awaitReady(services, ready);
                String apiKey = platform.demoCredentials().getProperty("CN_API_KEY");
                String base = "http://127.0.0.1:" + gateway.port() + "/v2";
                HttpResponse<String> created = HTTP.send(
                        request(base + "/webhooks", apiKey, clientTimeout)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + receiver.url("/servers")
                                        + "\",\"events\":[\"server.created\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    throw new AssertionError("creating the endpoint through the gateway: " + created.statusCode() + " "
                            + created.body());
                }

                Map<String, Seen> phases = new LinkedHashMap<>();
                for (String p : List.of("before", "kafka", "postgres", "compute")) {
                    phases.put(p, new Seen());
                }
                AtomicBoolean running = new AtomicBoolean(true);
                Seen[] current = {phases.get("before")};
                Thread client = new Thread(
                        () -> {
                            long start = System.nanoTime();
                            for (int i = 0; running.get(); i++) {
                                EventProducer.pace(i, clientRate, start);
                                Seen seen = current[0];
                                if (i % 2 == 0) {
                                    createServer(base, apiKey, clientTimeout, seen);
                                } else {
                                    call(
                                            seen,
                                            request(base + "/webhooks", apiKey, clientTimeout)
                                                    .GET()
                                                    .build(),
                                            "GET /v2/webhooks");
                                }
                            }
                        },
                        "fault-api-client");
                client.start();
                Awaits.until(
                        () -> phases.get("before").servers.size() >= 3,
                        Duration.ofSeconds(30),
                        "servers created before the faults");

                // 1. Kafka broker killed and restarted
                current[0] = phases.get("kafka");
                kafka.kill();
                Thread.sleep(outage.toMillis()); // the outage itself, not a wait for a condition
                kafka.restart();
                awaitAllReady(services, recoverLimit, phases.get("kafka"));

                // 2. PostgreSQL "restarted": every connection dropped, new ones refused for the outage
                current[0] = phases.get("postgres");
                pg.cut();
                Thread.sleep(outage.toMillis()); // the outage itself
                pg.restore();
                awaitAllReady(services, recoverLimit, phases.get("postgres"));

                // 3. compute-service killed between append and publish
                current[0] = phases.get("compute");
                computeKafka.cut();
                for (int i = 0; i < whileCut; i++) {
                    createServer(base, apiKey, clientTimeout, phases.get("compute"));
                }
                compute.kill();
                computeKafka.restore();
                compute.start();
                awaitAllReady(services, recoverLimit, phases.get("compute"));
                running.set(false);
                client.join(clientTimeout.toMillis() * 3);

                Set<String> allServers = phases.values().stream()
                        .flatMap(s -> s.servers.stream())
                        .collect(Collectors.toSet());
                Awaits.within(() -> receivedServers(receiver).containsAll(allServers), drainLimit);
                Set<String> got = receivedServers(receiver);
                boolean restartedOnlyCompute = webhook.isAlive() && gateway.isAlive();

                SoftAssertions soft = new SoftAssertions();
                for (Map.Entry<String, Seen> e : phases.entrySet()) {
                    Seen s = e.getValue();
                    long lost =
                            s.servers.stream().filter(id -> !got.contains(id)).count();
                    boolean readyAgain = "before".equals(e.getKey()) || s.readyAfterMillis >= 0;
                    boolean pass = lost == 0 && s.violations.isEmpty() && readyAgain;
                    String label = switch (e.getKey()) {
                        case "kafka" -> "3a Kafka broker kill -9 + restart";
                        case "postgres" -> "3b PostgreSQL connections cut " + outage.toSeconds() + " s";
                        case "compute" -> "3c compute kill -9 between append and publish";
                        default -> "3 before the faults";
                    };
                    Report.row(
                            label,
                            s.servers.size(),
                            s.servers.size() - lost,
                            lost,
                            0,
                            "before".equals(e.getKey())
                                    ? "-"
                                    : s.readyAfterMillis < 0
                                            ? "not ready in " + recoverLimit.toSeconds() + " s" + s.readiness
                                            : "all ready " + KillWebhookIT.ms(s.readyAfterMillis) + " after",
                            "-",
                            pass,
                            "client saw " + new TreeMap<>(s.statuses)
                                    + (s.violations.isEmpty()
                                            ? ""
                                            : "; violations: "
                                                    + s.violations.stream()
                                                            .limit(3)
                                                            .toList()));
                    soft.assertThat(lost)
                            .as("%s: servers whose server.created never reached the receiver", e.getKey())
                            .isZero();
                    soft.assertThat(s.violations)
                            .as("%s: answers the API client must not see", e.getKey())
                            .isEmpty();
                    soft.assertThat(readyAgain)
                            .as("%s: every service ready again within %s", e.getKey(), recoverLimit)
                            .isTrue();
                }
                soft.assertThat(restartedOnlyCompute)
                        .as("webhook-service and gateway survived without a restart")
                        .isTrue();
                soft.assertAll();
            }
        }
    }

    private static void awaitAllReady(List<ServiceProcess> services, Duration limit, Seen seen) {
        long start = System.currentTimeMillis();
        boolean ok = Awaits.within(() -> services.stream().allMatch(InfrastructureIT::ready), limit);
        if (ok) {
            seen.readyAfterMillis = System.currentTimeMillis() - start;
        } else {
            seen.readiness = services.stream()
                    .filter(s -> !ready(s))
                    .map(ServiceProcess::name)
                    .toList()
                    .toString();
        }
    }

    private static boolean ready(ServiceProcess s) {
        try {
            return s.isAlive()
                    && HTTP.send(
                                            HttpRequest.newBuilder(URI.create(s.url("/q/health/ready")))
                                                    .timeout(Duration.ofSeconds(3))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void createServer(String base, String apiKey, Duration timeout, Seen seen) {
        HttpResponse<String> r = call(
                seen,
                request(base + "/servers", apiKey, timeout)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\"}"))
                        .build(),
                "POST /v2/servers");
        if (r != null && r.statusCode() == 201) {
            WebhookApi.parse(r.body())
                    .path("servers")
                    .forEach(s -> seen.servers.add(s.path("id").asText()));
        }
    }

    private static HttpResponse<String> call(Seen seen, HttpRequest request, String what) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            seen.statuses.merge(Integer.toString(status), 1, Integer::sum);
            // unavailable is 503; a POST whose service went away before it answered may have taken effect, and
            // is a 502 (never a 503, which would say "not done"); either way with Retry-After, never a 500
            boolean retryable = r.headers().firstValue("Retry-After").isPresent()
                    && (status == 503 || (status == 502 && "POST".equals(request.method())));
            if (status >= 500 && !retryable) {
                seen.violations.add(what + " -> " + status + (status == 503 ? " without Retry-After" : "") + " "
                        + r.body().substring(0, Math.min(120, r.body().length())));
            }
            return r;
        } catch (HttpTimeoutException e) {
            seen.statuses.merge("timeout", 1, Integer::sum);
            seen.violations.add(what + " -> no answer within the client timeout");
        } catch (Exception e) {
            seen.statuses.merge("io-error", 1, Integer::sum);
            seen.violations.add(what + " -> " + e.getClass().getSimpleName());
        }
        return null;
    }

    private static HttpRequest.Builder request(String url, String apiKey, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json");
    }

    private static Set<String> receivedServers(RecordingReceiver receiver) {
        return receiver.received().stream()
                .map(r -> WebhookApi.parse(r.bodyAsString())
                        .path("data")
                        .path("server_id")
                        .asText())
                .collect(Collectors.toSet());
    }
}
