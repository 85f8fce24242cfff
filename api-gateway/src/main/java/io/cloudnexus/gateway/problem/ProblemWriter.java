package io.cloudnexus.gateway.problem;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes problem details on a Vert.x response (the proxy path). */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] bytes(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends {@code response} with the problem; extra headers (rate limit, Retry-After...) are added. */
    public void write(HttpServerResponse response, ProblemException problem, String path, String requestId,
            Map<String, String> extraHeaders) {
        if (response.ended() || response.headWritten()) {
            if (!response.ended()) {
                response.reset();
            }
            return;
        }
        response.setStatusCode(problem.status());
        response.headers().set("Content-Type", Problem.MEDIA_TYPE);
        response.headers().set(RequestIds.HEADER, requestId);
        extraHeaders.forEach(response.headers()::set);
        problem.headers().forEach(response.headers()::set);
        response.end(Buffer.buffer(bytes(problem.toProblem(path, requestId))));
    }
}
