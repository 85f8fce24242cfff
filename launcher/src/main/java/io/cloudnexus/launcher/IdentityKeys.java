package io.cloudnexus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The gateway's identity-token key pair: RSA 2048, the private key as PKCS#8 PEM (mode 600), the public key as
 * X.509 SubjectPublicKeyInfo PEM; generated once, kept for later runs.
 */
final class IdentityKeys {

    private IdentityKeys() {}

    /** True when generated now, false when both files were there. */
    static boolean ensure(Path privateKey, Path publicKey) {
        try {
            if (Files.size(privateKey) > 0 && Files.size(publicKey) > 0) {
                return false;
            }
        } catch (IOException e) {
            // missing: generate
        }
        try {
            Path dir = privateKey.getParent();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path tmp = privateKey.resolveSibling(privateKey.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.setPosixFilePermissions(publicKey, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, privateKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new LauncherException("cannot generate the identity keys in " + privateKey.getParent() + ": " + e, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
