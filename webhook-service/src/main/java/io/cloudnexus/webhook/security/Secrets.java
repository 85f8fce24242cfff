package io.cloudnexus.webhook.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Endpoint signing secrets: {@code whsec_} + base64 of 32 random bytes (the Standard Webhooks form). */
public final class Secrets {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    /** The HMAC key of the Standard Webhooks signature: the base64-decoded part after {@code whsec_}. */
    public static byte[] standardKey(String secret) {
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }
}
