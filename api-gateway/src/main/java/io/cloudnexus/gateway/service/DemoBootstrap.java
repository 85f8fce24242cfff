package io.cloudnexus.gateway.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.domain.Tier;
import io.quarkus.runtime.StartupEvent;

/**
 * For the local platform ({@code cloudnexus.gateway.demo.enabled=true}): makes sure the credentials
 * file holds a working demo account and key (professional tier, read and write). A file whose key is
 * still valid is left alone; otherwise the account is reused if it exists, a new key is created and
 * the file is rewritten (mode 600) with {@code CN_ACCOUNT_ID=...} and {@code CN_API_KEY=...}.
 * The key is never logged.
 */
@ApplicationScoped
public class DemoBootstrap {

    private static final Logger LOG = Logger.getLogger(DemoBootstrap.class);
    static final String ACCOUNT_VAR = "CN_ACCOUNT_ID";
    static final String KEY_VAR = "CN_API_KEY";

    private final GatewayConfig.Demo config;
    private final AccountService accounts;

    public DemoBootstrap(GatewayConfig config, AccountService accounts) {
        this.config = config.demo();
        this.accounts = accounts;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            ensureCredentials();
        }
    }

    /** Makes sure the credentials file holds a valid demo key; returns the account id. */
    public String ensureCredentials() {
        Path file = config.credentialsFile()
                .orElseThrow(() -> new IllegalStateException(
                        "cloudnexus.gateway.demo.credentials-file is required when the demo is enabled"));
        Map<String, String> existing = read(file);
        String accountId = existing.get(ACCOUNT_VAR);
        String key = existing.get(KEY_VAR);
        if (accountId != null && key != null && accounts.isActiveKey(accountId, key)) {
            LOG.infof("Demo account %s: credentials in %s are valid", accountId, file);
            return accountId;
        }
        Account account = accountId == null ? null : accounts.find(accountId).orElse(null);
        if (account == null) {
            account = accounts.createAccount("Demo", Tier.PROFESSIONAL, null);
        }
        AccountService.IssuedKey issued = accounts.createKey(account.id, "demo", Set.of(Scope.READ, Scope.WRITE));
        write(file, ACCOUNT_VAR + "=" + account.id + "\n" + KEY_VAR + "=" + issued.plaintext() + "\n");
        LOG.infof("Demo account %s: new API key %s... written to %s", account.id, issued.key().keyPrefix, file);
        return account.id;
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> values = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(
                            line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot read %s (%s); making new demo credentials", file, e.getMessage());
        }
        return values;
    }

    private static void write(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                temp = Files.createTempFile(
                        dir,
                        ".demo-credentials",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                temp = Files.createTempFile(dir, ".demo-credentials", ".tmp");
            }
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the demo credentials to " + file, e);
        }
    }
}
