package io.cloudnexus.gateway.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;

import io.cloudnexus.gateway.config.IdentityConfig;
import io.cloudnexus.gateway.service.ApiKeys;
import io.cloudnexus.gateway.service.IdentityTokenMinter;

/**
 * The RS256 keys access tokens are signed with, kept in the gateway's database so that every replica signs
 * and verifies with the same keys and they survive restarts. The first replica to find no usable key
 * generates one (under a PostgreSQL advisory lock, so concurrent starts agree on one); its private key is
 * stored AES-256-GCM encrypted under a key derived (HKDF-SHA256, RFC 5869) from the gateway's identity
 * signing key, which every replica is configured with, so a database dump alone does not reveal it.
 *
 * <p>Rotation: after {@code oauth.signing-key-rotation} a new key is generated and published in the JWKS at
 * once, but used for signing only once it is older than {@code oauth.revocation-refresh} (every replica has
 * read it by then); an old key is retired (unpublished, no longer accepted) once no token it signed can be
 * valid. Keys are re-read every {@code oauth.revocation-refresh} ({@link RevocationList} calls {@link #refresh}).
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final String LOCK = "cloudnexus-oauth-signing-keys";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One usable key: its id, when it was made, and the key pair as a JWK (private part held only in memory). */
    public record SigningKey(String kid, Instant createdAt, RsaJsonWebKey jwk) {}

    private final DataSource dataSource;
    private final OAuthConfig config;
    private final IdentityConfig identity;
    private volatile List<SigningKey> keys = List.of();
    private volatile Map<String, SigningKey> byKid = Map.of();
    private SecretKeySpec encryptionKey;

    public SigningKeys(DataSource dataSource, OAuthConfig config, IdentityConfig identity) {
        this.dataSource = dataSource;
        this.config = config;
        this.identity = identity;
    }

    /** The key to sign new tokens with: the newest that every replica has had time to read. */
    public SigningKey current() {
        List<SigningKey> all = keys;
        if (all.isEmpty()) {
            throw new IllegalStateException("No OAuth signing key loaded");
        }
        Instant publishedBefore = Instant.now().minus(config.revocationRefresh());
        return all.stream()
                .filter(k -> k.createdAt().isBefore(publishedBefore))
                .findFirst()
                .orElse(all.get(all.size() - 1));
    }

    /** The key with id {@code kid}, or null. */
    public SigningKey byKid(String kid) {
        return kid == null ? null : byKid.get(kid);
    }

    /** Every current key's public half as a JWK Set (RFC 7517), with {@code kid}, {@code use} and {@code alg}. */
    public String jwks() {
        List<JsonWebKey> published = new ArrayList<>();
        for (SigningKey key : keys) {
            try {
                RsaJsonWebKey pub = new RsaJsonWebKey((RSAPublicKey) key.jwk().getPublicKey());
                pub.setKeyId(key.kid());
                pub.setUse("sig");
                pub.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                published.add(pub);
            } catch (RuntimeException e) {
                throw new IllegalStateException(e);
            }
        }
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /**
     * Makes sure a current key exists (generating, rotating and retiring under the advisory lock as needed),
     * then loads every key not retired. Blocking; called at start and every {@code oauth.revocation-refresh}.
     */
    public void refresh() throws SQLException {
        if (needsWork(load())) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                        lock.setString(1, LOCK);
                        lock.execute();
                    }
                    rotate(c, read(c));
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
        List<SigningKey> loaded = load();
        if (loaded.isEmpty()) {
            throw new IllegalStateException("No usable OAuth signing key after generating one");
        }
        keys = loaded;
        byKid = loaded.stream().collect(Collectors.toUnmodifiableMap(SigningKey::kid, Function.identity()));
    }

    private boolean needsWork(List<SigningKey> loaded) {
        Instant now = Instant.now();
        return loaded.isEmpty()
                || loaded.get(0).createdAt().isBefore(now.minus(config.signingKeyRotation()))
                || (loaded.size() > 1 && retirable(loaded.get(0), now));
    }

    /** Once the newest key signs, tokens of older keys end within the token lifetime (plus skew). */
    private boolean retirable(SigningKey newest, Instant now) {
        return newest.createdAt()
                .plus(config.revocationRefresh())
                .plus(config.tokenLifetime())
                .plus(config.clockSkew())
                .isBefore(now);
    }

    private void rotate(Connection c, List<SigningKey> existing) throws SQLException {
        Instant now = Instant.now();
        if (existing.isEmpty() || existing.get(0).createdAt().isBefore(now.minus(config.signingKeyRotation()))) {
            insertNewKey(c, now);
            LOG.infof("Generated a new OAuth signing key (%d existing)", existing.size());
        } else if (existing.size() > 1 && retirable(existing.get(0), now)) {
            try (PreparedStatement retire = c.prepareStatement(
                    "UPDATE oauth_signing_key SET retired_at = now() WHERE retired_at IS NULL" + " AND kid <> ?")) {
                retire.setString(1, existing.get(0).kid());
                LOG.infof("Retired %d old OAuth signing key(s)", retire.executeUpdate());
            }
        }
    }

    private void insertNewKey(Connection c, Instant now) throws SQLException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            KeyPair pair = generator.generateKeyPair();
            String kid = ApiKeys.newId("k_");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO oauth_signing_key"
                    + " (kid, public_key, private_key_encrypted, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, kid);
                insert.setBytes(2, pair.getPublic().getEncoded());
                insert.setBytes(3, encrypt(kid, pair.getPrivate().getEncoded()));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.executeUpdate();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an OAuth signing key", e);
        }
    }

    /** Every key not retired that this replica can decrypt, newest first. */
    private List<SigningKey> load() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c);
        }
    }

    private List<SigningKey> read(Connection c) throws SQLException {
        List<SigningKey> loaded = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT kid, public_key, private_key_encrypted, created_at"
                        + " FROM oauth_signing_key WHERE retired_at IS NULL");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String kid = rs.getString(1);
                try {
                    KeyFactory rsa = KeyFactory.getInstance("RSA");
                    RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(rs.getBytes(2)));
                    PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(decrypt(kid, rs.getBytes(3))));
                    RsaJsonWebKey jwk = (RsaJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(publicKey);
                    jwk.setPrivateKey(privateKey);
                    jwk.setKeyId(kid);
                    loaded.add(new SigningKey(kid, rs.getTimestamp(4).toInstant(), jwk));
                } catch (GeneralSecurityException | org.jose4j.lang.JoseException e) {
                    // encrypted under another identity key: unusable here (a new key is generated if none is usable)
                    LOG.warnf("OAuth signing key %s cannot be decrypted with this identity key; ignored", kid);
                }
            }
        }
        loaded.sort(Comparator.comparing(SigningKey::createdAt).reversed());
        return loaded;
    }

    private byte[] encrypt(String kid, byte[] plain) throws GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, encryptionKey(), new GCMParameterSpec(128, iv));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
        System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
        return out;
    }

    private byte[] decrypt(String kid, byte[] stored) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, encryptionKey(), new GCMParameterSpec(128, Arrays.copyOf(stored, IV_BYTES)));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
    }

    /** HKDF-SHA256 (RFC 5869) of the identity private key's PKCS#8 bytes: one 32-byte output block. */
    private synchronized SecretKeySpec encryptionKey() throws GeneralSecurityException {
        if (encryptionKey == null) {
            byte[] ikm;
            try {
                ikm = IdentityTokenMinter.readKey(identity.signingKeyLocation()).getEncoded();
            } catch (Exception e) {
                throw new GeneralSecurityException("Cannot read the identity signing key", e);
            }
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(
                    new SecretKeySpec("cloudnexus-oauth-signing-keys".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(ikm);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update("aes-256-gcm v1".getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            encryptionKey = new SecretKeySpec(expand.doFinal(), "AES");
        }
        return encryptionKey;
    }
}
