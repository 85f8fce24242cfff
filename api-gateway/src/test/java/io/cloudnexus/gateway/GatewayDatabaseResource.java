package io.cloudnexus.gateway;

import java.net.URI;
import java.util.Map;

import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The gateway's fresh test database ({@code cn_test_api_gateway}, as {@link PostgresDatabaseResource}
 * makes it), reached through a {@link TcpProxy}, so that a test can cut the gateway off its database
 * (and restore it) without touching the PostgreSQL server.
 */
public class GatewayDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static TcpProxy proxy;

    /** The proxy between the gateway and PostgreSQL. */
    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public synchronized Map<String, String> start() {
        String direct = PostgresDatabaseResource.recreate("cn_test_api_gateway");
        URI uri = URI.create(direct.substring("jdbc:".length()));
        if (proxy == null) {
            proxy = TcpProxy.onFreePort().forwardTo(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432);
        }
        proxy.restore();
        String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return Map.of(
                "quarkus.datasource.jdbc.url", viaProxy,
                "quarkus.datasource.username", PostgresDatabaseResource.user(),
                "quarkus.datasource.password", PostgresDatabaseResource.password());
    }

    @Override
    public synchronized void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }
}
