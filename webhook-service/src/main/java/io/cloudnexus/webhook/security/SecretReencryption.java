package io.cloudnexus.webhook.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * At start, rewrites endpoint secrets still stored in the format before endpoint binding (no AAD) in the
 * current format ({@link SecretCipher}), one row at a time with a compare-and-set on the old bytes, so a
 * concurrent rotation on another replica is never overwritten. A row that does not decrypt is left alone
 * (the endpoint index skips and reports it).
 */
@ApplicationScoped
public class SecretReencryption {

    private static final Logger LOG = Logger.getLogger(SecretReencryption.class);
    private final DataSource dataSource;
    private final SecretCipher cipher;

    public SecretReencryption(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** Returns how many rows were rewritten. */
    public int run() {
        int rewritten = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT id, secret_enc, previous_secret_enc FROM webhook_endpoint");
                PreparedStatement update = c.prepareStatement(
                        "UPDATE webhook_endpoint SET secret_enc = ?, "
                                + "previous_secret_enc = ? WHERE id = ? AND secret_enc = ? AND previous_secret_enc IS NOT DISTINCT FROM ?")) {
            select.setFetchSize(1000);
            c.setAutoCommit(false); // a fetch size needs a transaction; each row's update commits with it below
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    byte[] current = rs.getBytes(2);
                    byte[] previous = rs.getBytes(3);
                    try {
                        boolean legacyCurrent = cipher.isLegacy(current, id);
                        boolean legacyPrevious = previous != null && cipher.isLegacy(previous, id);
                        if (!legacyCurrent && !legacyPrevious) {
                            continue;
                        }
                        byte[] newCurrent = legacyCurrent ? cipher.encrypt(cipher.decrypt(current, id), id) : current;
                        byte[] newPrevious =
                                legacyPrevious ? cipher.encrypt(cipher.decrypt(previous, id), id) : previous;
                        update.setBytes(1, newCurrent);
                        update.setBytes(2, newPrevious);
                        update.setString(3, id);
                        update.setBytes(4, current);
                        update.setBytes(5, previous);
                        rewritten += update.executeUpdate();
                    } catch (IllegalStateException e) {
                        LOG.warnf("endpoint %s: secret not re-encrypted: %s", id, e.getMessage());
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warnf("re-encrypting endpoint secrets failed (retried at the next start): %s", e.getMessage());
        }
        if (rewritten > 0) {
            LOG.infof("re-encrypted %d endpoint secrets bound to their endpoint", rewritten);
        }
        return rewritten;
    }
}
