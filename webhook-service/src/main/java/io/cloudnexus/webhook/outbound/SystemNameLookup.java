package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * {@link NameLookup} through the JVM ({@link InetAddress#getAllByName}: the hosts file, then DNS; the JVM
 * caches answers for {@code networkaddress.cache.ttl}, 30 s by default, and failures for 10 s).
 */
@ApplicationScoped
@DefaultBean
public class SystemNameLookup implements NameLookup {

    @Override
    public InetAddress[] lookup(String host) throws UnknownHostException {
        return InetAddress.getAllByName(host);
    }
}
