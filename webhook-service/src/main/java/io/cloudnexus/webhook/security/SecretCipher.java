package io.cloudnexus.webhook.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.quarkus.runtime.Startup;

/**
 * Encrypts endpoint secrets at rest with AES-256-GCM, each ciphertext bound to its endpoint: stored bytes are
 * the format byte {@code 0x01}, a 12-byte random nonce, then the ciphertext and its tag, with the endpoint id
 * as additional authenticated data, so a ciphertext copied into another endpoint's row does not decrypt.
 * Rows written before the format byte existed (nonce first, no AAD) still decrypt; the engine re-encrypts
 * them at start ({@link SecretReencryption}).
 *
 * <p>The key comes from {@code cloudnexus.webhooks.secret-key}; without it the service does not start, unless
 * {@code secret-key-file-fallback} allows a key file (created once, owner-only, for local runs). Created at
 * start-up so a missing key fails the start rather than the first request.
 */
@Startup
@ApplicationScoped
public class SecretCipher {

    private static final Logger LOG = Logger.getLogger(SecretCipher.class);
    static final byte V1 = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(WebhookConfig config) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(resolveKey(config).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cloudnexus.webhooks.secret-key must be base64 of 32 bytes");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("cloudnexus.webhooks.secret-key must be base64 of 32 bytes");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    /**
     * The configured key; else, only when {@code secret-key-file-fallback} is on, the key file's. A start
     * without a key fails.
     */
    static String resolveKey(WebhookConfig config) {
        if (config.secretKey().isPresent() && !config.secretKey().get().isBlank()) {
            return config.secretKey().get();
        }
        if (!config.secretKeyFileFallback()) {
            throw new IllegalStateException(
                    "cloudnexus.webhooks.secret-key (CLOUDNEXUS_WEBHOOKS_SECRET_KEY) is not set: "
                            + "set the base64 of a 32-byte AES key (e.g. openssl rand -base64 32). A generated key file is "
                            + "used only when cloudnexus.webhooks.secret-key-file-fallback=true (local runs).");
        }
        return keyFromFile(Path.of(config.secretKeyFile()));
    }

    /** Encrypts the endpoint's secret, bound to {@code endpointId}. */
    public byte[] encrypt(String secret, String endpointId) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(endpointId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + sealed.length)
                    .put(V1)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret encryption failed", e);
        }
    }

    /**
     * Decrypts the secret stored in endpoint {@code endpointId}'s row. Fails (without revealing anything) for a
     * wrong key, a damaged value or a ciphertext of another endpoint.
     */
    public String decrypt(byte[] stored, String endpointId) {
        if (stored == null || stored.length < NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("secret decryption failed (value too short)");
        }
        if (stored[0] == V1 && stored.length >= 1 + NONCE + TAG_BITS / 8) {
            try {
                return open(stored, 1, aad(endpointId));
            } catch (GeneralSecurityException e) {
                // a legacy value whose random nonce happens to start with 0x01 is tried below
            }
        }
        try {
            return open(stored, 0, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret decryption failed (wrong cloudnexus.webhooks.secret-key, damaged "
                    + "value, or a value of another endpoint)");
        }
    }

    /** Whether the stored value is in the format before endpoint binding (re-encrypted at start). */
    public boolean isLegacy(byte[] stored, String endpointId) {
        if (stored == null || stored[0] != V1) {
            return true;
        }
        try {
            open(stored, 1, aad(endpointId));
            return false;
        } catch (GeneralSecurityException e) {
            return true;
        }
    }

    private String open(byte[] stored, int offset, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, offset, NONCE));
        if (aad != null) {
            cipher.updateAAD(aad);
        }
        return new String(
                cipher.doFinal(stored, offset + NONCE, stored.length - offset - NONCE), StandardCharsets.UTF_8);
    }

    private static byte[] aad(String endpointId) {
        if (endpointId == null || endpointId.isEmpty()) {
            throw new IllegalArgumentException("endpoint id required");
        }
        return ("cloudnexus-webhook-endpoint:" + endpointId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Local runs only: the key kept in a file, created once. The file is created owner-only ({@code 0600}) from
     * the start: a temporary file with those permissions is written and then linked (or moved) into place
     * atomically, so the key is never readable by others and a concurrent start uses the one key that won.
     */
    static String keyFromFile(Path path) {
        try {
            if (Files.exists(path)) {
                warnIfOpen(path);
                return read(path);
            }
            LOG.warnf(
                    "cloudnexus.webhooks.secret-key is not set: using a generated key in %s (local runs only)",
                    path.toAbsolutePath());
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            byte[] encoded = Base64.getEncoder().encode(raw);
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, ".webhook-secret", ".tmp", attrs);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(encoded));
                    ch.force(true);
                }
                try {
                    Files.createLink(path, tmp); // fails if another process created the key first
                } catch (FileAlreadyExistsException e) {
                    // keep the other process's key
                } catch (UnsupportedOperationException | IOException e) {
                    if (Files.exists(path)) {
                        return read(path);
                    }
                    Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return read(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + path, e);
        }
    }

    private static String read(Path path) throws IOException {
        String key = Files.readString(path).trim();
        if (key.isEmpty()) {
            throw new IllegalStateException("the key file " + path + " is empty");
        }
        return key;
    }

    private static void warnIfOpen(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.stream()
                    .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warnf(
                        "the key file %s is readable by others (%s): restricting it to its owner",
                        path, PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system
        }
    }
}
