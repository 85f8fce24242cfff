package io.cloudnexus.contracts.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * webhook.endpoint.disabled: an endpoint was disabled automatically. {@code failingSince} (second precision, null
 * if unknown) is when its current failure streak began.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WebhookEndpointDisabled(
        @JsonProperty(required = true) String endpointId,
        @JsonProperty(required = true) String url,
        @JsonProperty(required = true) Reason reason,

        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        Instant failingSince)
        implements EventData {

    public static final String TYPE = "webhook.endpoint.disabled";

    public WebhookEndpointDisabled {
        failingSince = failingSince == null ? null : failingSince.truncatedTo(ChronoUnit.SECONDS);
    }

    /** gone: the endpoint answered 410 Gone; failing: it kept failing for the whole failure window. */
    public enum Reason {
        @JsonProperty("gone")
        GONE,
        @JsonProperty("failing")
        FAILING
    }

    @Override
    public String type() {
        return TYPE;
    }
}
