package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.text.StorableText;
import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Validates an endpoint URL when it is created or changed: scheme ({@code https}, or {@code http} when
 * allowed), no userinfo, no fragment, a host written as a name or a canonical IP literal (decimal, hex,
 * octal and short IPv4 spellings are refused), and every address the host resolves to (through the same
 * {@link HostResolver} the attempts use) must pass {@link AddressPolicy}. Each refusal is a 400 naming the
 * reason; a lookup that gets no answer in time (or a saturated resolver) is a 503 with {@code Retry-After}
 * ({@link ResolverUnavailableException}), since the URL itself may be fine.
 */
@ApplicationScoped
public class UrlValidator {

    private static final Pattern NUMERIC_HOST = Pattern.compile("^[0-9a-fA-FxX.]+$");
    private static final Pattern NUMERIC_PART = Pattern.compile("^(0[xX][0-9a-fA-F]*|[0-9]+)$");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");
    private static final Pattern HOST_NAME =
            Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?$");

    private final boolean allowHttp;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final long timeoutNanos;

    public UrlValidator(WebhookConfig config, AddressPolicy policy, HostResolver resolver) {
        this.allowHttp = config.outbound().allowHttp();
        this.policy = policy;
        this.resolver = resolver;
        this.timeoutNanos = config.outbound().timeout().toNanos();
    }

    /** The parsed URL, or a 400 problem on the {@code url} field. */
    public URI validate(String url) {
        if (url == null || url.isBlank()) {
            throw refuse("is required");
        }
        if (url.length() > 2048) {
            throw refuse("must be at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw refuse("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw refuse(
                    scheme.equals("http")
                            ? "must use https"
                            : "must be an https URL (scheme '" + StorableText.line(scheme, 32) + "' is not allowed)");
        }
        if (uri.getRawUserInfo() != null
                || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw refuse("must not contain user information (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            throw refuse("must not contain a fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refuse("must name a host");
        }
        host = host.toLowerCase(Locale.ROOT);
        List<InetAddress> addresses = resolve(host);
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw refuse("resolves to a refused address: " + refusal.get());
            }
        }
        return uri;
    }

    private List<InetAddress> resolve(String host) {
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || !host.contains(":")) {
                throw refuse("has an invalid IPv6 address");
            }
        } else if (NUMERIC_HOST.matcher(host).matches() && isNumericSpelling(host)) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw refuse(
                        "uses an unusual IP address spelling (decimal, hex, octal or shortened); write the address as a.b.c.d");
            }
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw refuse("has an invalid host name");
        }
        try {
            return resolver.resolve(host, System.nanoTime() + timeoutNanos).get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw refuse(
                        host.startsWith("[") ? "has an invalid IPv6 address" : "host '" + host + "' does not resolve");
            }
            throw new ResolverUnavailableException(
                    StorableText.line(host, 255), e.getCause() instanceof HostResolver.Busy);
        } catch (TimeoutException e) {
            throw new ResolverUnavailableException(StorableText.line(host, 255), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolverUnavailableException(StorableText.line(host, 255), false);
        }
    }

    private static boolean isNumericSpelling(String host) {
        for (String part : host.split("\\.", -1)) {
            if (!part.isEmpty() && !NUMERIC_PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException refuse(String why) {
        return ProblemException.invalidField("url", why, null);
    }
}
