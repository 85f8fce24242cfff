package io.cloudnexus.gateway.domain;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** The scopes a credential grants: {@code read}, {@code write}, {@code admin}. */
public final class Scope {
    public static final String READ = "read";
    public static final String WRITE = "write";
    public static final String ADMIN = "admin";
    public static final Set<String> ALL = Set.of(READ, WRITE, ADMIN);

    private Scope() {}

    /** Whether {@code granted} allows {@code method}: reads need read, everything else write; admin allows both. */
    public static boolean allows(Set<String> granted, String method) {
        return grants(granted, required(method));
    }

    /** Whether {@code granted} includes {@code scope}; admin includes every scope. */
    public static boolean grants(Set<String> granted, String scope) {
        return granted.contains(ADMIN) || granted.contains(scope);
    }

    public static String required(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> READ;
            default -> WRITE;
        };
    }

    /**
     * The CloudNexus scopes in a space-separated list. Anything else (e.g. {@code operator}, which only
     * the gateway's own operator token may carry) is dropped: no account credential can grant it.
     */
    public static Set<String> parse(String spaceSeparated) {
        Set<String> scopes = new LinkedHashSet<>();
        if (spaceSeparated != null) {
            Arrays.stream(spaceSeparated.trim().split("\\s+"))
                    .filter(ALL::contains)
                    .forEach(scopes::add);
        }
        return Set.copyOf(scopes);
    }

    /** Only the CloudNexus scopes of {@code granted} (see {@link #parse}). */
    public static Set<String> only(Collection<String> granted) {
        Set<String> scopes = new LinkedHashSet<>(granted);
        scopes.retainAll(ALL);
        return Set.copyOf(scopes);
    }

    public static String join(Collection<String> scopes) {
        return String.join(" ", scopes.stream().sorted().toList());
    }
}
