package io.cloudnexus.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.cloudnexus.testsupport.ReceivedRequest;

/** A receiver's verification code, written from the public docs and the Standard Webhooks spec (independent of the service's). */
final class Signatures {

    private Signatures() {}

    /** X-CloudNexus-Signature / CloudNexus-Signature: hex HMAC-SHA256 of the raw body keyed with the secret string. */
    static boolean hexValid(ReceivedRequest request, String header, String secret) {
        String expected = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), request.body()));
        return Arrays.asList(request.header(header).split(" ")).contains(expected);
    }

    /** webhook-signature: v1,base64(HMAC(base64decode(secret without whsec_), id.timestamp.body)). */
    static boolean standardValid(ReceivedRequest request, String secret) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String signed =
                request.header("webhook-id") + "." + request.header("webhook-timestamp") + "." + request.bodyAsString();
        String expected =
                "v1," + Base64.getEncoder().encodeToString(hmac(key, signed.getBytes(StandardCharsets.UTF_8)));
        return Arrays.asList(request.header("webhook-signature").split(" ")).contains(expected);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
