package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.cloudnexus.launcher.Topology;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Accounts of the e2e platform, made through the gateway's admin API with the operator key. */
final class TestAccounts {

    /** An account and a read/write API key of it. */
    record Account(String id, String apiKey) {}

    private TestAccounts() {}

    /** A new account ({@code customRateLimit} requests a minute, or the tier's limit when null) with a new key. */
    static Account create(Platform platform, String name, String tier, Integer customRateLimit) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "tier", tier));
        if (customRateLimit != null) {
            body.put("custom_rate_limit", customRateLimit);
        }
        Response account = given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + Platform.OPERATOR_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/accounts");
        assertThat(account.statusCode()).as(account.asString()).isEqualTo(201);
        String id = account.path("id");
        Response key = given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + Platform.OPERATOR_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "scopes", List.of("read", "write")))
                .post("/admin/accounts/" + id + "/keys");
        assertThat(key.statusCode()).as(key.asString()).isEqualTo(201);
        return new Account(id, key.path("key"));
    }

    /**
     * Gives {@code account} one more read/write key whose value is {@code key} exactly, e.g. the public reference's
     * example key {@code cn_live_sk_abc123}, so its code runs verbatim. The admin API only makes random keys, so
     * the key is stored the way the gateway stores every key: a row of {@code api_key} in the gateway's database
     * with the SHA-256 of the key (never the key). The gateway then authenticates it like any other key.
     */
    static void addKnownKey(Platform platform, Account account, String key) throws Exception {
        Map<String, String> env = platform.local.env;
        String url = "jdbc:postgresql://" + env.get("CN_DB_HOST") + ":" + env.get("CN_DB_PORT") + "/"
                + Topology.GATEWAY.database(env.get("CN_DB_PREFIX"));
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = DriverManager.getConnection(url, env.get("CN_DB_USER"), env.get("CN_DB_PASSWORD"));
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO api_key (id, account_id, name, key_prefix, key_hash, scopes, created_at)"
                                + " VALUES (?, ?, 'known key (e2e)', ?, ?, 'read write', now())")) {
            insert.setString(1, "key_" + randomAlphanumeric(20));
            insert.setString(2, account.id());
            insert.setString(3, key.substring(0, Math.min(15, key.length())));
            insert.setString(4, hash);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
    }

    private static String randomAlphanumeric(int length) {
        String chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }
}
