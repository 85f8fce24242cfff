package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Validates an endpoint URL when it is created or changed: scheme ({@code https}, or {@code http} when
 * allowed), no userinfo, no fragment, a host written as a name or a canonical IP literal (decimal, hex,
 * octal and short IPv4 spellings are refused), and every address the host resolves to must pass
 * {@link AddressPolicy}. Each refusal is a 400 naming the reason.
 */
@ApplicationScoped
public class UrlValidator {

    private static final Pattern NUMERIC_HOST = Pattern.compile("^[0-9a-fA-FxX.]+$");
    private static final Pattern NUMERIC_PART = Pattern.compile("^(0[xX][0-9a-fA-F]*|[0-9]+)$");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");
    private static final Pattern HOST_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?$");

    private final boolean allowHttp;
    private final AddressPolicy policy;

    public UrlValidator(WebhookConfig config, AddressPolicy policy) {
        this.allowHttp = config.outbound().allowHttp();
        this.policy = policy;
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
            throw refuse(scheme.equals("http") ? "must use https" : "must be an https URL (scheme '" + scheme + "' is not allowed)");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
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
        InetAddress[] addresses = resolve(host);
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw refuse("resolves to a refused address: " + refusal.get());
            }
        }
        return uri;
    }

    private InetAddress[] resolve(String host) {
        if (host.startsWith("[")) {
            try {
                return new InetAddress[] { InetAddress.getByName(host.substring(1, host.length() - 1)) };
            } catch (UnknownHostException e) {
                throw refuse("has an invalid IPv6 address");
            }
        }
        if (NUMERIC_HOST.matcher(host).matches() && isNumericSpelling(host)) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw refuse("uses an unusual IP address spelling (decimal, hex, octal or shortened); write the address as a.b.c.d");
            }
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw refuse("has an invalid host name");
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw refuse("host '" + host + "' does not resolve");
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
