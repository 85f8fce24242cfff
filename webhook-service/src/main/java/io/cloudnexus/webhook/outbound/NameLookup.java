package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The blocking name lookup behind {@link HostResolver}: every address a host name resolves to. The
 * production bean ({@link SystemNameLookup}) asks the JVM's resolver; tests select an alternative that
 * answers (or hangs) as scripted.
 */
public interface NameLookup {

    /** Every address of {@code host} (never empty); {@link UnknownHostException} when the name does not exist. */
    InetAddress[] lookup(String host) throws UnknownHostException;
}
