package io.cloudnexus.gateway.proxy;

import java.util.Map;

import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** One /v2 request on its way through the gateway. */
final class Exchange {

    final RoutingContext ctx;
    final String requestId;
    RouteTable.Target target;
    /** The buffered body (idempotent requests, and bodies without a Content-Length), else null (piped). */
    Buffer body;
    volatile Admission admission;

    Exchange(RoutingContext ctx, String requestId) {
        this.ctx = ctx;
        this.requestId = requestId;
    }

    HttpServerRequest request() {
        return ctx.request();
    }

    HttpServerResponse response() {
        return ctx.response();
    }

    Map<String, String> rateHeaders() {
        return admission == null ? Map.of() : admission.headers();
    }

    /** Answers with problem details; the unread part of the body is drained. */
    void refuse(ProblemWriter problems, ProblemException refusal, Map<String, String> headers) {
        problems.write(response(), refusal, request().path(), requestId, headers);
        drain();
    }

    /** Answers 500 for a failure of the gateway itself (logged, never shown). */
    void fail(ProblemWriter problems, Throwable failure) {
        ProxyHandler.logUnexpected(requestId, failure);
        refuse(problems, new ProblemException(500, "internal", "Internal error",
                "An unexpected error occurred; quote the request id to support"), rateHeaders());
    }

    /** Answers with a stored first response. */
    void replay(Record record) {
        HttpServerResponse response = response();
        response.setStatusCode(record.status());
        if (record.contentType() != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, record.contentType());
        }
        if (record.location() != null) {
            response.putHeader(HttpHeaders.LOCATION, record.location());
        }
        response.putHeader("Idempotent-Replayed", "true");
        response.putHeader(RequestIds.HEADER, requestId);
        rateHeaders().forEach(response::putHeader);
        response.end(record.body() == null ? Buffer.buffer() : Buffer.buffer(record.body()));
    }

    private void drain() {
        HttpServerRequest request = request();
        if (!request.isEnded()) {
            request.handler(null);
            request.resume();
        }
    }
}
