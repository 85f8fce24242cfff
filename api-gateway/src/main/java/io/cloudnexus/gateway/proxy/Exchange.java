package io.cloudnexus.gateway.proxy;

import java.util.Map;

import io.cloudnexus.gateway.jsonapi.JsonApiDocuments;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType.Representation;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** One /v2 request on its way through the gateway. */
final class Exchange {

    final RoutingContext ctx;
    final String requestId;
    /** Limits for discarding an unread body after a refusal (bytes, milliseconds). */
    private final long discardBytes;

    private final long discardMillis;
    RouteTable.Target target;
    /** The buffered body (idempotent requests, and bodies without a Content-Length), else null (piped). */
    Buffer body;
    /** What the client asked to get back (its Accept header). */
    Representation representation = Representation.PLAIN;
    /** Whether the body is a JSON:API document (buffered and turned into plain JSON before it is forwarded). */
    boolean jsonApiBody;

    volatile Admission admission;

    Exchange(RoutingContext ctx, String requestId, long discardBytes, long discardMillis) {
        this.ctx = ctx;
        this.requestId = requestId;
        this.discardBytes = discardBytes;
        this.discardMillis = discardMillis;
    }

    HttpServerRequest request() {
        return ctx.request();
    }

    HttpServerResponse response() {
        return ctx.response();
    }

    boolean http2() {
        return request().version() == HttpVersion.HTTP_2;
    }

    Map<String, String> rateHeaders() {
        return admission == null ? Map.of() : admission.headers();
    }

    /**
     * Answers with problem details. A body not read yet is never buffered: it is discarded (at most the
     * body limit, within the body deadline) so that the client can read the answer, then the connection
     * is closed (HTTP/1.x, announced with {@code Connection: close}) or the stream reset (HTTP/2).
     */
    void refuse(ProblemWriter problems, ProblemException refusal, Map<String, String> headers) {
        boolean unread = bodyPending();
        if (unread && !http2() && !response().headWritten()) {
            response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        Future<Void> written =
                problems.write(response(), refusal, request().path(), requestId, headers, representation);
        if (unread) {
            discardRest(written);
        } else if (!request().isEnded()) {
            request().handler(null);
            request().resume();
        }
    }

    /** Answers with problem details and drops the connection (HTTP/1.x) or resets the stream (HTTP/2) at once. */
    void refuseAndCut(ProblemWriter problems, ProblemException refusal) {
        request().handler(null);
        if (!http2() && !response().headWritten()) {
            response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        cutOff(problems.write(response(), refusal, request().path(), requestId, rateHeaders(), representation));
    }

    /** Whether body bytes may still be on their way (a request without a body just has its end pending). */
    boolean bodyPending() {
        HttpServerRequest request = request();
        if (request.isEnded()) {
            return false;
        }
        if (http2()) {
            return true;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0"))
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true);
    }

    /** Answers 500 (or 503 when the gateway's database is down) for a failure of the gateway itself. */
    void fail(ProblemWriter problems, Throwable failure) {
        refuse(
                problems,
                problems.failure(
                        failure, requestId, request().method().name(), request().path()),
                rateHeaders());
    }

    /** Answers with a stored first response. */
    void replay(Record record, JsonApiDocuments jsonApi) {
        HttpServerResponse response = response();
        response.setStatusCode(record.status());
        byte[] document = representation == Representation.JSON_API
                ? jsonApi.document(
                        record.contentType(),
                        record.body(),
                        request().path(),
                        request().query())
                : null;
        if (document != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, JsonApiMediaType.MEDIA_TYPE);
        } else if (record.contentType() != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, record.contentType());
        }
        if (record.location() != null) {
            response.putHeader(HttpHeaders.LOCATION, record.location());
        }
        response.putHeader("Idempotent-Replayed", "true");
        response.putHeader(RequestIds.HEADER, requestId);
        rateHeaders().forEach(response::putHeader);
        response.putHeader(HttpHeaders.VARY, "Accept");
        response.end(
                document != null
                        ? Buffer.buffer(document)
                        : record.body() == null ? Buffer.buffer() : Buffer.buffer(record.body()));
    }

    /** Drops the connection (HTTP/1.x) or resets the stream (HTTP/2), once {@code written} is on its way. */
    void cutOff(Future<Void> written) {
        written.onComplete(v -> {
            if (http2()) {
                response().reset(0);
            } else {
                request().connection().close();
            }
        });
    }

    private void discardRest(Future<Void> written) {
        HttpServerRequest request = request();
        long[] seen = {0};
        boolean[] done = {false};
        long timer = ctx.vertx().setTimer(discardMillis, t -> {
            if (!done[0]) {
                done[0] = true;
                request.handler(null);
                cutOff(written);
            }
        });
        request.handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > discardBytes && !done[0]) {
                done[0] = true;
                ctx.vertx().cancelTimer(timer);
                request.handler(null);
                cutOff(written);
            }
        });
        request.exceptionHandler(e -> ctx.vertx().cancelTimer(timer));
        request.endHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            if (!done[0] && !http2()) {
                done[0] = true;
                cutOff(written);
            }
        });
        request.resume();
    }
}
