package io.cloudnexus.gateway.proxy;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.StreamTickets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v2/events/stream/tickets}, answered by the gateway itself once the request is admitted:
 * 201 {@code {"ticket","expires_at","url"}}, never cached. The ticket is shown only here.
 */
@ApplicationScoped
public class StreamTicketHandler {

    private final Vertx vertx;
    private final StreamTickets tickets;
    private final ProblemWriter problems;

    public StreamTicketHandler(Vertx vertx, StreamTickets tickets, ProblemWriter problems) {
        this.vertx = vertx;
        this.tickets = tickets;
        this.problems = problems;
    }

    void issue(Exchange exchange) {
        vertx.executeBlocking(() -> tickets.issue(exchange.admission.caller(), exchange.admission.credential()), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        exchange.fail(problems, ar.cause());
                        return;
                    }
                    StreamTickets.Issued issued = ar.result();
                    String body = new JsonObject()
                            .put("ticket", issued.ticket())
                            .put(
                                    "expires_at",
                                    issued.expiresAt()
                                            .truncatedTo(ChronoUnit.MILLIS)
                                            .toString())
                            .put("url", RouteTable.STREAM_PATH + "?" + RouteTable.TICKET_PARAM + "=" + issued.ticket())
                            .encode();
                    HttpServerResponse response = exchange.response();
                    response.setStatusCode(201);
                    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    response.putHeader(RequestIds.HEADER, exchange.requestId);
                    exchange.rateHeaders().forEach(response::putHeader);
                    response.end(body);
                });
    }
}
