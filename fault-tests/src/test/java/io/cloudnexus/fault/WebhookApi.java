package io.cloudnexus.fault;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.ServiceProcess;

/** The webhook-service API as the gateway calls it (identity token of the account), for the scenarios' setup and reads. */
final class WebhookApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebhookApi() {}

    /** Creates an endpoint; returns its id ({@code whk_...}). */
    static String createEndpoint(ServiceProcess service, String account, String url, String eventsJsonArray) {
        JsonNode created = call(
                service,
                account,
                "POST",
                "/webhooks",
                "{\"url\":\"" + url + "\",\"events\":" + eventsJsonArray + "}",
                201);
        return created.path("id").asText();
    }

    static void deleteEndpoint(ServiceProcess service, String account, String endpointId) {
        call(service, account, "DELETE", "/webhooks/" + endpointId, null, -1);
    }

    /** Every delivery of the endpoint (all pages), optionally with one status. */
    static List<JsonNode> deliveries(ServiceProcess service, String account, String endpointId, String status) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            String path = "/webhooks/" + endpointId + "/deliveries?limit=100"
                    + (status == null ? "" : "&status=" + status)
                    + (after == null ? "" : "&starting_after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode body = call(service, account, "GET", path, null, 200);
            body.path("data").forEach(all::add);
            if (!body.path("has_more").asBoolean() || body.path("data").isEmpty()) {
                return all;
            }
            after = body.path("data")
                    .get(body.path("data").size() - 1)
                    .path("id")
                    .asText();
        }
        return all;
    }

    static JsonNode call(ServiceProcess service, String account, String method, String path, String body, int expect) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.url(path)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + IdentityTokens.forAccount(account))
                .header("Content-Type", "application/json");
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (expect > 0 && r.statusCode() != expect) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
