package io.cloudnexus.contracts;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ids of resources: a type prefix plus random lowercase characters, e.g.
 * {@code srv_k3m9x2q7v4tz8b6n1hc0}. Ids made here carry {@value #RANDOM_LENGTH} characters of
 * Crockford base32 from {@link SecureRandom} (100 bits). The prefixes are a closed set, the one
 * in DESIGN.md; add a constant here to introduce a new resource type. Thread-safe.
 */
public final class ResourceIds {

    public static final String SERVER = "srv_";
    public static final String CLUSTER = "cls_";
    public static final String DEPLOYMENT = "dep_";
    public static final String INVOICE = "inv_";
    public static final String BACKUP = "bkp_";
    public static final String FIREWALL = "fw_";
    public static final String WEBHOOK_ENDPOINT = "whk_";
    public static final String ACCOUNT = "acc_";

    /** Every valid prefix. */
    public static final Set<String> PREFIXES =
            Set.of(SERVER, CLUSTER, DEPLOYMENT, INVOICE, BACKUP, FIREWALL, WEBHOOK_ENDPOINT, ACCOUNT);

    /** Number of random characters after the prefix in ids made by {@link #newId}. */
    public static final int RANDOM_LENGTH = 20;

    /** What follows the prefix in a valid id (the catalog schemas use the same rule). */
    private static final Pattern BODY = Pattern.compile("[0-9a-z]{1,64}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private ResourceIds() {}

    /**
     * A new random id with the given prefix.
     *
     * @param prefix one of {@link #PREFIXES}, e.g. {@link #SERVER} ({@code "srv_"})
     * @throws IllegalArgumentException for any other prefix
     */
    public static String newId(String prefix) {
        requirePrefix(prefix);
        byte[] bytes = new byte[RANDOM_LENGTH];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder(prefix.length() + RANDOM_LENGTH).append(prefix);
        for (byte b : bytes) {
            id.append(Base32.digit(b));
        }
        return id.toString();
    }

    /**
     * Whether {@code id} is a {@code prefix} id: the prefix followed by 1 to 64 characters of
     * {@code [0-9a-z]} (short ids such as the public docs' {@code srv_2x9k4m} included).
     */
    public static boolean isValid(String prefix, String id) {
        requirePrefix(prefix);
        return id != null
                && id.startsWith(prefix)
                && BODY.matcher(id.substring(prefix.length())).matches();
    }

    /** The prefix of a valid resource id, if it has one of {@link #PREFIXES}. */
    public static Optional<String> prefixOf(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int underscore = id.indexOf('_');
        if (underscore < 0) {
            return Optional.empty();
        }
        String prefix = id.substring(0, underscore + 1);
        return PREFIXES.contains(prefix) && isValid(prefix, id) ? Optional.of(prefix) : Optional.empty();
    }

    private static void requirePrefix(String prefix) {
        if (prefix == null || !PREFIXES.contains(prefix)) {
            throw new IllegalArgumentException("unknown resource id prefix '" + prefix + "'; expected one of "
                    + PREFIXES.stream().sorted().toList());
        }
    }
}
