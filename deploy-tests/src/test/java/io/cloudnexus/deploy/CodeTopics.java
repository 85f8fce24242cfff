package io.cloudnexus.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.cloudnexus.contracts.Topics;

/**
 * The Kafka topics the code produces to and consumes from: every topic constant of contracts'
 * {@link Topics} (and its {@code DOMAIN_TOPICS}), plus every topic a service names in its
 * configuration (properties ending in {@code .topic} / {@code .topics}, e.g.
 * {@code cloudnexus.outbox.topic}, {@code mp.messaging.incoming.x.topic}). Topic patterns
 * ({@code ...topic-pattern}) are returned apart: they select among those topics.
 */
final class CodeTopics {

    private CodeTopics() {}

    static Set<String> names(Collection<ServiceConfiguration> services) {
        Set<String> topics = new TreeSet<>(Topics.DOMAIN_TOPICS);
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    topics.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (ServiceConfiguration service : services) {
            for (String suffix : List.of(".topic", ".topics")) {
                for (Map.Entry<String, String> entry :
                        service.valuesEndingWith(suffix).entrySet()) {
                    if (isPattern(service, entry.getKey())) {
                        continue;
                    }
                    for (String topic : entry.getValue().split(",")) {
                        if (!topic.isBlank()) {
                            topics.add(topic.trim());
                        }
                    }
                }
            }
        }
        return topics;
    }

    /** The topic patterns services subscribe with (regular expressions). */
    static List<Pattern> patterns(Collection<ServiceConfiguration> services) {
        List<Pattern> patterns = new ArrayList<>();
        for (ServiceConfiguration service : services) {
            service.valuesEndingWith("topic-pattern").values().forEach(p -> patterns.add(Pattern.compile(p)));
            service.valuesEndingWith(".topic").forEach((key, p) -> {
                if (isPattern(service, key)) {
                    patterns.add(Pattern.compile(p));
                }
            });
        }
        return patterns;
    }

    /** A SmallRye channel's {@code topic} is a regular expression when its {@code pattern} is true. */
    private static boolean isPattern(ServiceConfiguration service, String topicKey) {
        String channel = topicKey.substring(0, topicKey.length() - ".topic".length());
        return topicKey.startsWith("mp.messaging.")
                && service.value(channel + ".pattern").map("true"::equals).orElse(false);
    }
}
