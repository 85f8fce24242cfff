package io.cloudnexus.webhook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cloudnexus.webhook.config.Configs;

/** Secrets at rest: the key is required, the local key file is owner-only from the start, ciphertexts are bound to their endpoint. */
public class SecretCipherTest {

    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @TempDir
    Path dir;

    @Test
    void aStartWithoutAKeyFailsUnlessTheFileFallbackIsOn() {
        Path file = dir.resolve("key");
        assertThatThrownBy(() ->
                        new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key-file", file.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cloudnexus.webhooks.secret-key")
                .hasMessageContaining("secret-key-file-fallback");
        assertThat(file).doesNotExist();

        SecretCipher local = new SecretCipher(Configs.webhookConfig(
                "cloudnexus.webhooks.secret-key-file",
                file.toString(),
                "cloudnexus.webhooks.secret-key-file-fallback",
                "true"));
        assertThat(local.decrypt(local.encrypt("whsec_x", "whk_1"), "whk_1")).isEqualTo("whsec_x");
        assertThat(file).exists();
    }

    @Test
    void aConfiguredKeyIsUsedAndMustBe32Bytes() {
        SecretCipher cipher = new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key", KEY));
        assertThat(cipher.decrypt(cipher.encrypt("whsec_y", "whk_2"), "whk_2")).isEqualTo("whsec_y");
        assertThatThrownBy(() -> new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key", "c2hvcnQ=")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(
                        () -> new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key", "not base64!")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndReusedAfterwards() throws Exception {
        Path file = dir.resolve("nested/webhook-secret.key");
        String key = SecretCipher.keyFromFile(file);
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly("webhook-secret.key"); // no temp file left
        }
        assertThat(SecretCipher.keyFromFile(file)).isEqualTo(key);
    }

    @Test
    void anExistingKeyFileReadableByOthersIsRestricted() throws Exception {
        Path file = dir.resolve("open.key");
        Files.writeString(file, KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretCipher.keyFromFile(file)).isEqualTo(KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void aCiphertextMovedToAnotherEndpointDoesNotDecrypt() {
        SecretCipher cipher = new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key", KEY));
        byte[] sealed = cipher.encrypt("whsec_secret", "whk_a");
        assertThat(sealed[0]).isEqualTo(SecretCipher.V1);
        assertThat(cipher.decrypt(sealed, "whk_a")).isEqualTo("whsec_secret");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "whk_b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("whsec_secret");
        assertThat(cipher.isLegacy(sealed, "whk_a")).isFalse();
    }

    @Test
    void valuesWrittenBeforeTheFormatByteStillDecryptAndAreRecognisedAsLegacy() throws Exception {
        SecretCipher cipher = new SecretCipher(Configs.webhookConfig("cloudnexus.webhooks.secret-key", KEY));
        for (int i = 0; i < 50; i++) { // random nonces, some starting with the format byte
            byte[] legacy = legacy("whsec_old" + i);
            assertThat(cipher.decrypt(legacy, "whk_any")).isEqualTo("whsec_old" + i);
            assertThat(cipher.isLegacy(legacy, "whk_any")).isTrue();
        }
        byte[] garbage = new byte[40];
        new SecureRandom().nextBytes(garbage);
        assertThatThrownBy(() -> cipher.decrypt(garbage, "whk_any")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher.decrypt(new byte[3], "whk_any")).isInstanceOf(IllegalStateException.class);
    }

    /** The format before endpoint binding: nonce || ciphertext+tag, no AAD. */
    public static byte[] legacy(String secret) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(Base64.getDecoder().decode(KEY), "AES"),
                new GCMParameterSpec(128, nonce));
        byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    }
}
