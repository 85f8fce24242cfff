package io.cloudnexus.compute.domain;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import io.cloudnexus.contracts.events.SecurityThreatDetected;

/**
 * A simulated attack on a server, as security.threat.detected records it.
 *
 * @param sourceIp where it came from
 * @param attackType one of {@link #ATTACK_TYPES}
 * @param mitigated whether it was blocked
 * @param packetsBlocked packets dropped
 */
public record Threat(String sourceIp, String attackType, boolean mitigated, long packetsBlocked) {

    /** The attack types of security.threat.detected. */
    public static final List<String> ATTACK_TYPES = Arrays.stream(SecurityThreatDetected.AttackType.values())
            .map(Enum::name)
            .toList();

    /** A plausible random attack of {@code attackType} (or a random type if null). */
    public static Threat random(RandomGenerator random, String attackType) {
        String type = attackType != null ? attackType : ATTACK_TYPES.get(random.nextInt(ATTACK_TYPES.size()));
        String ip = (random.nextInt(200) + 11) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (random.nextInt(254) + 1);
        boolean mitigated = random.nextInt(20) != 0;
        return new Threat(ip, type, mitigated, mitigated ? 1_000L + random.nextInt(100_000) : 0L);
    }
}
