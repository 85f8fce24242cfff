package io.cloudnexus.gateway.jsonapi;

import java.io.IOException;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.gateway.apikeys.ApiKeyResource;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType.Representation;
import io.cloudnexus.gateway.oauth.ClientResource;

/**
 * JSON:API for the gateway's own /v2 resources (self-service API keys, OAuth clients), with the same
 * {@link JsonApiMediaType negotiation} and {@link JsonApiDocuments translation} as proxied answers: the resources
 * produce JSON, this filter turns their answers (and their problems) into JSON:API documents when {@code Accept} asks
 * for one. Their JSON:API request bodies are read by {@code rest/AccountGuard#body}. (The OAuth token, revocation and
 * metadata endpoints keep the formats OAuth clients parse.)
 */
@Provider
@PreMatching
public class JsonApiResourceFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String NEGOTIATED = JsonApiResourceFilter.class.getName();

    private final JsonApiDocuments documents;
    private final ObjectMapper mapper;

    public JsonApiResourceFilter(JsonApiDocuments documents, ObjectMapper mapper) {
        this.documents = documents;
        this.mapper = mapper;
    }

    private static boolean applies(String path) {
        return path.startsWith(ApiKeyResource.PATH) || path.startsWith(ClientResource.PATH);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!applies(request.getUriInfo().getRequestUri().getRawPath())) {
            return;
        }
        // 406 for an Accept this gateway cannot satisfy; a JSON:API one is answered from the resources' JSON
        if (JsonApiMediaType.negotiate(request.getHeaderString(HttpHeaders.ACCEPT)) == Representation.JSON_API) {
            request.setProperty(NEGOTIATED, Boolean.TRUE);
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        if (request.getProperty(NEGOTIATED) == null || !response.hasEntity()) {
            return;
        }
        MediaType type = response.getMediaType();
        byte[] document = documents.document(
                type == null ? MediaType.APPLICATION_JSON : type.toString(),
                mapper.writeValueAsBytes(response.getEntity()),
                request.getUriInfo().getRequestUri().getRawPath(),
                request.getUriInfo().getRequestUri().getRawQuery());
        if (document != null) {
            response.setEntity(document, null, MediaType.valueOf(JsonApiMediaType.MEDIA_TYPE));
        }
        response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    }
}
