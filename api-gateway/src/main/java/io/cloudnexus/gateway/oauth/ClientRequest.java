package io.cloudnexus.gateway.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A request to the token or revocation endpoint: its form parameters ({@code application/x-www-form-urlencoded},
 * each at most once: RFC 6749 §3.2) and the client credentials, from HTTP Basic ({@code client_secret_basic},
 * both parts form-urlencoded: §2.3.1) or from the form ({@code client_secret_post}), never both.
 */
record ClientRequest(Map<String, String> form, String clientId, String clientSecret, boolean basic) {

    static ClientRequest parse(String contentType, String authorization, String body) {
        if (contentType == null
                || !contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (form.put(name, value) != null) {
                    throw OAuthError.invalidRequest("Parameter " + safeName(name) + " is given more than once");
                }
            }
        }
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (basic) {
            if (secret != null) {
                throw OAuthError.invalidRequest("Authenticate the client one way only: HTTP Basic or the form");
            }
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthError.invalidClient(true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw OAuthError.invalidClient(true);
            }
            String basicId = decode(decoded.substring(0, colon));
            if (id != null && !id.equals(basicId)) {
                throw OAuthError.invalidRequest("client_id in the form differs from the HTTP Basic one");
            }
            return new ClientRequest(form, basicId, decode(decoded.substring(colon + 1)), true);
        }
        return new ClientRequest(form, id, secret, false);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The form is not valid percent-encoding");
        }
    }

    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_]{1,40}") ? name : "(a parameter)";
    }
}
