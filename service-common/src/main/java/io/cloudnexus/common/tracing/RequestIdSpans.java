package io.cloudnexus.common.tracing;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cloudnexus.common.problem.RequestIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * Puts the gateway's request id ({@code X-Request-Id}, {@code req_...}) on the server span of every service request
 * (docs/tracing.md), the same attribute the gateway's span carries. With tracing off the current span does not
 * record and this does nothing.
 */
public class RequestIdSpans {

    /** The request id, {@code req_...}. */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("cloudnexus.request_id");

    @ServerRequestFilter
    public void tag(ContainerRequestContext request) {
        Span span = Span.current();
        if (span.isRecording()) {
            String id = request.getHeaderString(RequestIds.HEADER);
            if (id != null) {
                span.setAttribute(REQUEST_ID, RequestIds.sanitize(id));
            }
        }
    }
}
