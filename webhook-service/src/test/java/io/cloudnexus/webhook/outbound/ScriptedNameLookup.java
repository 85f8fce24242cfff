package io.cloudnexus.webhook.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A {@link NameLookup} a test scripts: a host answers given addresses (IPv6 objects exactly as built, e.g.
 * {@code ::ffff:127.0.0.1} as an {@link Inet6Address}, which the JVM's own parsing would turn into IPv4),
 * takes a while, or hangs until released; unscripted hosts go to the JVM resolver. Selected only by the
 * test profiles that list it ({@code getEnabledAlternatives}); unit tests create it directly.
 */
@Alternative
@ApplicationScoped
public class ScriptedNameLookup implements NameLookup {

    private static final InetAddress[] NO_SUCH_NAME = new InetAddress[0];

    private final Map<String, InetAddress[]> answers = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> hanging = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public ScriptedNameLookup answer(String host, InetAddress... addresses) {
        answers.put(key(host), addresses);
        return this;
    }

    /** {@code host} does not exist (NXDOMAIN). */
    public ScriptedNameLookup unknown(String host) {
        answers.put(key(host), NO_SUCH_NAME);
        return this;
    }

    public ScriptedNameLookup delay(String host, Duration delay) {
        delays.put(key(host), delay);
        return this;
    }

    /** Lookups of {@code host} block until {@link #release}. */
    public ScriptedNameLookup hang(String host) {
        hanging.put(key(host), new CountDownLatch(1));
        return this;
    }

    public void release(String host) {
        CountDownLatch latch = hanging.remove(key(host));
        if (latch != null) {
            latch.countDown();
        }
    }

    public void releaseAll() {
        hanging.keySet().forEach(this::release);
    }

    public void reset() {
        releaseAll();
        answers.clear();
        delays.clear();
        lookups.clear();
    }

    /** How many lookups of {@code host} reached this lookup (after the resolver's coalescing and cache). */
    public int lookups(String host) {
        AtomicInteger n = lookups.get(key(host));
        return n == null ? 0 : n.get();
    }

    @Override
    public InetAddress[] lookup(String host) throws UnknownHostException {
        String key = key(host);
        lookups.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        try {
            CountDownLatch latch = hanging.get(key);
            if (latch != null) {
                latch.await(60, TimeUnit.SECONDS);
            }
            Duration delay = delays.get(key);
            if (delay != null) {
                Thread.sleep(delay.toMillis()); // a slow DNS server is what is simulated here
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host + " (interrupted)");
        }
        InetAddress[] scripted = answers.get(key);
        if (scripted == NO_SUCH_NAME) {
            throw new UnknownHostException(host);
        }
        return scripted != null ? scripted.clone() : InetAddress.getAllByName(host);
    }

    /** An {@link Inet6Address} with exactly these 16 bytes (written as 8 groups of hex). */
    public static Inet6Address v6(int... groups) {
        if (groups.length != 8) {
            throw new IllegalArgumentException("8 groups");
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (groups[i] >> 8);
            bytes[2 * i + 1] = (byte) groups[i];
        }
        return v6(bytes);
    }

    public static Inet6Address v6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code prefix} bytes, then {@code ipv4} at {@code offset}: e.g. the IPv4-mapped form. */
    public static Inet6Address embedding(byte[] prefix, int offset, String ipv4) {
        byte[] bytes = new byte[16];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        byte[] v4 = ipv4Bytes(ipv4);
        System.arraycopy(v4, 0, bytes, offset, 4);
        return v6(bytes);
    }

    /** {@code ::ffff:a.b.c.d} as an Inet6Address (what a resolver can hand out). */
    public static Inet6Address mapped(String ipv4) {
        return embedding(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}, 12, ipv4);
    }

    public static byte[] ipv4Bytes(String ipv4) {
        String[] parts = ipv4.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
