package io.cloudnexus.webhook.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;
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

    /** Keyed MACs per thread, the most recently used secrets' kept (an HMAC key schedule costs as much as the MAC). */
    static final int KEYED_PER_THREAD = 512;

    private static final ThreadLocal<KeyedMacs> HEX_MACS =
            ThreadLocal.withInitial(() -> new KeyedMacs(secret -> secret.getBytes(StandardCharsets.UTF_8)));
    private static final ThreadLocal<KeyedMacs> STANDARD_MACS =
            ThreadLocal.withInitial(() -> new KeyedMacs(Secrets::standardKey));

    private Signer() {}

    public static String hex(String secret, byte[] body) {
        return HexFormat.of().formatHex(HEX_MACS.get().of(secret).doFinal(body));
    }

    public static String standard(String secret, String webhookId, long timestampSeconds, byte[] body) {
        Mac mac = STANDARD_MACS.get().of(secret);
        mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /**
     * One thread's HMAC-SHA256 instances, each initialised with one secret's key: {@link Mac#doFinal} leaves a MAC
     * ready for its key again, so a delivery to an endpoint signed before costs no key schedule. Least recently used
     * first out; an evicted instance is re-keyed for the new secret (as every signature was before).
     */
    private static final class KeyedMacs {
        private final Function<String, byte[]> key;
        private final LinkedHashMap<String, Mac> macs = new LinkedHashMap<>(64, 0.75f, true);

        KeyedMacs(Function<String, byte[]> key) {
            this.key = key;
        }

        Mac of(String secret) {
            Mac mac = macs.get(secret);
            if (mac != null) {
                return mac;
            }
            try {
                if (macs.size() >= KEYED_PER_THREAD) {
                    Iterator<Mac> eldest = macs.values().iterator();
                    mac = eldest.next();
                    eldest.remove();
                } else {
                    mac = Mac.getInstance("HmacSHA256");
                }
                mac.init(new SecretKeySpec(key.apply(secret), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC key rejected", e);
            }
            macs.put(secret, mac);
            return mac;
        }
    }
}
