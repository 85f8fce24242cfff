package io.cloudnexus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

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

    /** Partitions of every domain topic on the shared broker unless a scenario asks for another count. */
    static final int PARTITIONS = 3;

    private static KafkaProcess kafka;
    private static int kafkaPartitions;

    private Fleet() {}

    static KafkaProcess kafka() {
        return kafka(PARTITIONS);
    }

    /**
     * The shared broker with every domain topic of {@code partitions} partitions. A scenario that needs another
     * count than the running broker has gets a fresh broker (the previous one is stopped first, so one runs at a
     * time; the next scenario with the default count gets a fresh one again).
     */
    static synchronized KafkaProcess kafka(int partitions) {
        if (kafka != null && kafka.isAlive() && kafkaPartitions != partitions) {
            kafka.close();
        }
        if (kafka == null || !kafka.isAlive()) {
            kafka = KafkaProcess.start(Path.of("target/fault/kafka-shared"));
            kafka.createTopics(partitions, Topics.DOMAIN_TOPICS.toArray(String[]::new));
            kafkaPartitions = partitions;
        }
        return kafka;
    }

    static PlatformProcesses platform(String scenario) {
        return PlatformProcesses.in(Path.of("target/fault", scenario));
    }

    /** A webhook-service process of {@code scenario} (consumer group {@link #group}); not started. */
    static ServiceProcess webhook(
            PlatformProcesses platform, String name, String scenario, String jdbcUrl, String bootstrap) {
        ServiceProcess service = platform.webhook(name, jdbcUrl, bootstrap)
                .property("cloudnexus.webhooks.consumer.group-id", group(scenario));
        FaultSettings.serviceProperties().forEach(service::property);
        return service;
    }

    /** The consumer group of the scenario's webhook-service processes. */
    static String group(String scenario) {
        return "fault-" + scenario;
    }

    /**
     * {@code count} webhook-service replicas of {@code scenario} on one database, named {@code <prefix>-1} to
     * {@code <prefix>-<count>}, each signing its requests with its own {@link #userAgent}; not started.
     */
    static List<ServiceProcess> replicas(
            PlatformProcesses platform, String scenario, String prefix, int count, String jdbcUrl, String bootstrap) {
        List<ServiceProcess> replicas = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = prefix + "-" + i;
            replicas.add(webhook(platform, name, scenario, jdbcUrl, bootstrap)
                    .property("cloudnexus.webhooks.user-agent", userAgent(name)));
        }
        return replicas;
    }

    /** The {@code User-Agent} of a replica made by {@link #replicas}: a receiver tells the replicas apart by it. */
    static String userAgent(String replicaName) {
        return "CloudNexus-Webhooks/2.4 " + replicaName;
    }

    /** Starts the first replica alone (it migrates the database), then the others; returns once all are ready. */
    static void startReplicas(List<ServiceProcess> replicas, Duration ready) {
        replicas.get(0).start().awaitReady(ready);
        replicas.subList(1, replicas.size()).forEach(ServiceProcess::start);
        awaitReady(replicas, ready);
    }

    /** Waits (in parallel) until every service answers ready. */
    static void awaitReady(Collection<ServiceProcess> services, Duration timeout) {
        CompletableFuture.allOf(services.stream()
                        .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(timeout)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /**
     * Waits until the scenario's consumer group is stable with {@code members} members that all hold partitions;
     * returns each member's partitions by its client id.
     */
    static Map<String, Set<TopicPartition>> awaitGroup(
            KafkaProcess kafka, String scenario, int members, Duration timeout) {
        Map<String, Set<TopicPartition>> assignment = new HashMap<>();
        try (Admin admin = kafka.admin()) {
            Awaits.until(
                    () -> {
                        assignment.clear();
                        assignment.putAll(assignment(admin, scenario));
                        return assignment.size() == members;
                    },
                    timeout,
                    members + " members holding partitions in the consumer group " + group(scenario));
        }
        return assignment;
    }

    /** The members' partitions by client id if the group is stable and every member holds some, else empty. */
    static Map<String, Set<TopicPartition>> assignment(Admin admin, String scenario) throws Exception {
        ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group(scenario)))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(group(scenario));
        Map<String, Set<TopicPartition>> byClient = new HashMap<>();
        if (!g.groupState().toString().equalsIgnoreCase("stable")) {
            return byClient;
        }
        for (MemberDescription m : g.members()) {
            if (m.assignment().topicPartitions().isEmpty()) {
                return new HashMap<>();
            }
            byClient.put(m.clientId(), m.assignment().topicPartitions());
        }
        return byClient;
    }
}
