package io.cloudnexus.gateway.jsonapi;

import java.util.Locale;

import io.cloudnexus.gateway.problem.ProblemException;

/**
 * The JSON:API 1.1 media type rules (https://jsonapi.org/format/#content-negotiation), applied once at the edge:
 * which representation a request asks for ({@code Accept}), and whether its body's {@code Content-Type} is
 * acceptable. The gateway supports no JSON:API extension: an {@code ext} parameter is refused like any parameter
 * other than {@code profile} (profiles are allowed and ignored).
 */
public final class JsonApiMediaType {

    public static final String MEDIA_TYPE = "application/vnd.api+json";

    /** What the client gets back. */
    public enum Representation {
        /** The services' own JSON (and problem details): the reference's curl, the SDKs. */
        PLAIN,
        /** JSON:API documents and error objects. */
        JSON_API
    }

    private JsonApiMediaType() {}

    /** Whether a {@code Content-Type} (or one media range) is the JSON:API media type, with or without parameters. */
    public static boolean is(String mediaType) {
        return mediaType != null && MEDIA_TYPE.equals(baseType(mediaType));
    }

    /**
     * The representation an {@code Accept} header asks for: JSON:API when it lists the JSON:API media type without
     * parameters other than {@code profile} (and {@code q}); 406 when every JSON:API instance it lists carries
     * another parameter; else plain JSON.
     */
    public static Representation negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Representation.PLAIN;
        }
        boolean listed = false;
        for (String range : accept.split(",")) {
            if (!is(range)) {
                continue;
            }
            listed = true;
            if (onlyAllowedParameters(range, true)) {
                return Representation.JSON_API;
            }
        }
        if (listed) {
            throw new ProblemException(
                    406,
                    "not-acceptable",
                    "Not acceptable",
                    "Accept lists " + MEDIA_TYPE + " only with media type parameters other than 'profile' (no JSON:API"
                            + " extension is supported)");
        }
        return Representation.PLAIN;
    }

    /** 415 for a JSON:API body whose media type carries a parameter other than {@code profile}; else null. */
    public static ProblemException checkContentType(String contentType) {
        if (is(contentType) && !onlyAllowedParameters(contentType, false)) {
            return new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "A " + MEDIA_TYPE + " body may carry no media type parameter other than 'profile' (no JSON:API"
                            + " extension is supported)");
        }
        return null;
    }

    private static String baseType(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static boolean onlyAllowedParameters(String mediaType, boolean acceptRange) {
        String[] parts = mediaType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals))
                    .trim()
                    .toLowerCase(Locale.ROOT);
            if (name.equals("profile") || (acceptRange && name.equals("q"))) {
                continue;
            }
            return false;
        }
        return true;
    }
}
