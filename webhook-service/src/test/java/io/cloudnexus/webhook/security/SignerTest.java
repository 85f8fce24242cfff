package io.cloudnexus.webhook.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** The keyed MACs a thread keeps give the same signatures as a fresh HMAC, also once secrets are evicted. */
class SignerTest {

    private static final byte[] BODY =
            "{\"event\":\"server.created\",\"id\":\"evt_1\",\"timestamp\":\"2025-04-15T10:32:00Z\",\"data\":{}}"
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesMatchAFreshHmacForMoreSecretsThanAThreadKeeps() throws Exception {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < Signer.KEYED_PER_THREAD + 50; i++) {
            secrets.add(Secrets.newSecret());
        }
        for (int round = 0; round < 3; round++) { // round 0 fills, later rounds hit and evict
            for (String secret : secrets) {
                assertEquals(
                        HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), BODY)),
                        Signer.hex(secret, BODY));
                byte[] signed = ("evt_1.1700000000." + new String(BODY, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                assertEquals(
                        "v1," + Base64.getEncoder().encodeToString(hmac(Secrets.standardKey(secret), signed)),
                        Signer.standard(secret, "evt_1", 1_700_000_000L, BODY));
            }
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
