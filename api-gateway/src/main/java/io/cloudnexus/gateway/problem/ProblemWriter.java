package io.cloudnexus.gateway.problem;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.gateway.jsonapi.JsonApiDocuments;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType.Representation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes problem details on a Vert.x response (the proxy path). */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper mapper;
    private final Failures failures;
    private final JsonApiDocuments jsonApi;

    public ProblemWriter(ObjectMapper mapper, Failures failures, JsonApiDocuments jsonApi) {
        this.mapper = mapper;
        this.failures = failures;
        this.jsonApi = jsonApi;
    }

    /** The problem for an unexpected failure (503 when the database is down, else 500); logged. */
    public ProblemException failure(Throwable failure, String requestId, String method, String path) {
        return failures.toProblem(failure, requestId, method, path);
    }

    public byte[] bytes(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends {@code response} with the problem; extra headers (rate limit, Retry-After...) are added. The
     * future completes once it is written (at once if the response was already ended or closed).
     */
    public Future<Void> write(
            HttpServerResponse response,
            ProblemException problem,
            String path,
            String requestId,
            Map<String, String> extraHeaders) {
        return write(response, problem, path, requestId, extraHeaders, Representation.PLAIN);
    }

    /** As {@link #write(HttpServerResponse, ProblemException, String, String, Map)}, as JSON:API error objects if asked. */
    public Future<Void> write(
            HttpServerResponse response,
            ProblemException problem,
            String path,
            String requestId,
            Map<String, String> extraHeaders,
            Representation representation) {
        if (response.ended() || response.closed() || response.headWritten()) {
            if (!response.ended() && !response.closed()) {
                response.reset();
            }
            return Future.succeededFuture();
        }
        response.setStatusCode(problem.status());
        response.headers().set(RequestIds.HEADER, requestId);
        extraHeaders.forEach(response.headers()::set);
        problem.headers().forEach(response.headers()::set);
        Problem body = problem.toProblem(path, requestId);
        if (representation == Representation.JSON_API) {
            response.headers().set("Content-Type", JsonApiMediaType.MEDIA_TYPE);
            return response.end(Buffer.buffer(jsonApi.errors(body)));
        }
        response.headers().set("Content-Type", Problem.MEDIA_TYPE);
        return response.end(Buffer.buffer(bytes(body)));
    }
}
