package io.cloudnexus.gateway.jsonapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.cloudnexus.gateway.oauth.MetadataResource;
import io.cloudnexus.gateway.proxy.RouteTable;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Documents JSON:API (docs/api-gateway.md, "JSON:API at the edge") in the served OpenAPI document, at build time and
 * from one rule rather than by hand on every operation of {@code META-INF/openapi.yaml}:
 *
 * <ul>
 *   <li>an operation whose answers the gateway translates (every /v2 operation but the {@linkplain #translation
 *       exceptions}) gets {@code application/vnd.api+json} ({@code JsonApiDocument}) next to each
 *       {@code application/json} response, a JSON:API request body ({@code JsonApiRequest} with the JSON body's
 *       schema as its {@code attributes}) next to an {@code application/json} one, and 406
 *       ({@code JsonApiNotAcceptable});
 *   <li>the shared error responses of the document carry JSON:API error objects ({@code JsonApiErrors}) beside
 *       problem details; an operation that never translates gets them without (an inline copy).
 * </ul>
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class JsonApiOpenApiFilter implements OASFilter {

    static final String JSON = "application/json";
    private static final String COMPONENTS = "#/components/";

    /** How much of an operation the gateway translates to JSON:API. */
    enum Translation {
        /** Answers, request bodies and errors (proxied resources, API keys, OAuth clients). */
        ALL,
        /** Only the gateway's refusals (the stream tickets: the ticket itself is always JSON). */
        ERRORS,
        /** Nothing: the formats its clients parse (the stream, OAuth token/revoke/JWKS/metadata, console, admin). */
        NONE
    }

    private static final Set<String> OAUTH_FORMATS =
            Set.of(MetadataResource.TOKEN_PATH, MetadataResource.REVOKE_PATH, MetadataResource.JWKS_PATH);

    /** What the gateway translates on the documented {@code path} (mirrors ProxyHandler and JsonApiResourceFilter). */
    static Translation translation(String path) {
        if (!path.startsWith("/v2/") || path.equals(RouteTable.STREAM_PATH) || OAUTH_FORMATS.contains(path)) {
            return Translation.NONE;
        }
        return path.equals(RouteTable.TICKETS_PATH) ? Translation.ERRORS : Translation.ALL;
    }

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Map<String, APIResponse> shared = openApi.getComponents().getResponses();
        openApi.getPaths()
                .getPathItems()
                .forEach((path, item) -> item.getOperations().values().forEach(operation -> {
                    Translation translation = translation(path);
                    if (translation == Translation.NONE) {
                        withoutJsonApi(operation.getResponses(), shared);
                        return;
                    }
                    operation
                            .getResponses()
                            .addAPIResponse(
                                    "406",
                                    operation.getResponses().hasAPIResponse("406")
                                            ? operation.getResponses().getAPIResponse("406")
                                            : OASFactory.createAPIResponse()
                                                    .ref(COMPONENTS + "responses/JsonApiNotAcceptable"));
                    if (translation == Translation.ALL) {
                        translated(operation);
                    }
                }));
    }

    private static void translated(Operation operation) {
        operation.getResponses().getAPIResponses().values().forEach(response -> {
            MediaType json = media(response.getContent(), JSON);
            if (json != null && media(response.getContent(), JsonApiMediaType.MEDIA_TYPE) == null) {
                response.getContent()
                        .addMediaType(
                                JsonApiMediaType.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(schema("JsonApiDocument")));
            }
        });
        RequestBody body = operation.getRequestBody();
        MediaType json = body == null ? null : media(body.getContent(), JSON);
        if (json != null && media(body.getContent(), JsonApiMediaType.MEDIA_TYPE) == null) {
            Schema attributes = json.getSchema() == null ? OASFactory.createSchema() : json.getSchema();
            Schema document = OASFactory.createSchema()
                    .addAllOf(schema("JsonApiRequest"))
                    .addAllOf(OASFactory.createSchema()
                            .addProperty("data", OASFactory.createSchema().addProperty("attributes", attributes)));
            body.getContent()
                    .addMediaType(
                            JsonApiMediaType.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(document));
        }
    }

    /** The operation's responses without JSON:API errors: shared ones that carry them replaced by inline copies. */
    private static void withoutJsonApi(APIResponses responses, Map<String, APIResponse> shared) {
        if (responses == null || responses.getAPIResponses() == null) {
            return;
        }
        Map<String, APIResponse> replaced = new LinkedHashMap<>();
        responses.getAPIResponses().forEach((status, response) -> {
            if (response.getRef() != null) {
                APIResponse target = shared == null
                        ? null
                        : shared.get(
                                response.getRef().substring(response.getRef().lastIndexOf('/') + 1));
                if (target != null && media(target.getContent(), JsonApiMediaType.MEDIA_TYPE) != null) {
                    replaced.put(status, plainCopy(target));
                }
            } else if (media(response.getContent(), JsonApiMediaType.MEDIA_TYPE) != null) {
                replaced.put(status, plainCopy(response));
            }
        });
        replaced.forEach(responses::addAPIResponse);
    }

    private static APIResponse plainCopy(APIResponse response) {
        Content content = OASFactory.createContent();
        response.getContent().getMediaTypes().forEach((name, media) -> {
            if (!name.equals(JsonApiMediaType.MEDIA_TYPE)) {
                content.addMediaType(name, media);
            }
        });
        return OASFactory.createAPIResponse()
                .description(response.getDescription())
                .headers(response.getHeaders())
                .content(content);
    }

    private static MediaType media(Content content, String name) {
        return content == null || content.getMediaTypes() == null
                ? null
                : content.getMediaTypes().get(name);
    }

    private static Schema schema(String name) {
        return OASFactory.createSchema().ref(COMPONENTS + "schemas/" + name);
    }
}
