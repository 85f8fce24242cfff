package io.cloudnexus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaProcess;
import io.cloudnexus.testsupport.PlatformProcesses;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * What the webhook scenarios share: one Kafka broker in its own JVM (topics created up front, so consumers see
 * them at once), and the packaged webhook-service built with production settings plus
 * {@link FaultSettings#serviceProperties()}; each scenario has its own database and consumer group.
 */
final class Fleet {

    private static KafkaProcess kafka;

    private Fleet() {}

    static synchronized KafkaProcess kafka() {
        if (kafka == null || !kafka.isAlive()) {
            kafka = KafkaProcess.start(Path.of("target/fault/kafka-shared"));
            kafka.createTopics(3, Topics.DOMAIN_TOPICS.toArray(String[]::new));
        }
        return kafka;
    }

    static PlatformProcesses platform(String scenario) {
        return PlatformProcesses.in(Path.of("target/fault", scenario));
    }

    /** A webhook-service process of {@code scenario} (consumer group {@code fault-<scenario>}); not started. */
    static ServiceProcess webhook(
            PlatformProcesses platform, String name, String scenario, String jdbcUrl, String bootstrap) {
        ServiceProcess service = platform.webhook(name, jdbcUrl, bootstrap)
                .property("cloudnexus.webhooks.consumer.group-id", "fault-" + scenario);
        FaultSettings.serviceProperties().forEach(service::property);
        return service;
    }

    /** Waits (in parallel) until every service answers ready. */
    static void awaitReady(Collection<ServiceProcess> services, Duration timeout) {
        CompletableFuture.allOf(services.stream()
                        .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(timeout)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }
}
