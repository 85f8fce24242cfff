package io.cloudnexus.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys: {@code cn_live_sk_} plus 40 random base62 characters (about 238 bits from
 * {@link SecureRandom}). Keys have so much entropy that a fast hash (SHA-256) is a safe way to store
 * them; the database never holds a key.
 */
public final class ApiKeys {
    public static final String PREFIX = "cn_live_sk_";
    static final int RANDOM_LENGTH = 40;
    /** Characters kept for display (the prefix plus 4), e.g. {@code cn_live_sk_AbC1}. */
    static final int DISPLAY_LENGTH = PREFIX.length() + 4;

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ApiKeys() {}

    public static String newKey() {
        return PREFIX + random(RANDOM_LENGTH);
    }

    /** A secret with a prefix and as much entropy as a key (e.g. a stream ticket {@code tkt_...}). */
    public static String newSecret(String prefix) {
        return prefix + random(RANDOM_LENGTH);
    }

    /** Whether {@code value} has the form of a {@link #newSecret secret} with {@code prefix}. */
    public static boolean looksLikeSecret(String prefix, String value) {
        return value != null
                && value.length() == prefix.length() + RANDOM_LENGTH
                && value.startsWith(prefix)
                && value.substring(prefix.length())
                        .chars()
                        .allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }

    /** A random identifier with a prefix, e.g. {@code key_...} (not secret). */
    public static String newId(String prefix) {
        return prefix + random(20);
    }

    public static boolean looksLikeKey(String credential) {
        return credential.startsWith(PREFIX);
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_LENGTH, key.length()));
    }

    /** The SHA-256 of the key, hex-encoded: what the database stores and looks keys up by. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        }
        return new String(out);
    }
}
