package io.cloudnexus.webhook.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The delivery signatures. {@code X-CloudNexus-Signature} / {@code CloudNexus-Signature}: lowercase hex
 * HMAC-SHA256 of the raw body keyed with the secret string exactly as shown ({@code whsec_...}).
 * {@code webhook-signature} (Standard Webhooks): {@code v1,} + base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64-decoded part after {@code whsec_}.
 *
 * <p>During a secret rotation the two hex headers still carry exactly ONE value, the newest secret's (the
 * public docs' receivers compare the whole header with one hex string); the previous secret's hex signature
 * goes in {@code X-CloudNexus-Signature-Previous}, and {@code webhook-signature} carries both signatures,
 * space-separated, newest first (the Standard Webhooks rule).
 */
public final class Signer {

    /** Hex signature with the newest secret (exactly one value). */
    public static final String HEX_HEADER = "X-CloudNexus-Signature";
    /** The same value under the unprefixed name. */
    public static final String HEX_HEADER_UNPREFIXED = "CloudNexus-Signature";
    /** Hex signature with the previous secret, only during a rotation's grace period. */
    public static final String PREVIOUS_HEX_HEADER = "X-CloudNexus-Signature-Previous";
    /** Standard Webhooks signatures, one per secret in use, space-separated. */
    public static final String STANDARD_HEADER = "webhook-signature";

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });
    private static final java.util.Map<String, byte[]> STANDARD_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private Signer() {}

    public static String hex(String secret, byte[] body) {
        return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    public static String standard(String secret, String webhookId, long timestampSeconds, byte[] body) {
        byte[] key = STANDARD_KEYS.get(secret);
        if (key == null) {
            if (STANDARD_KEYS.size() > 100_000) {
                STANDARD_KEYS.clear();
            }
            key = Secrets.standardKey(secret);
            STANDARD_KEYS.put(secret, key);
        }
        Mac mac = mac(key);
        mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static byte[] hmac(byte[] key, byte[] body) {
        return mac(key).doFinal(body);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
    }
}
