package io.cloudnexus.contracts.events;

/**
 * The {@code data} object of a catalogued event, as a Java record: one record per type of the catalog
 * ({@code catalog.json}), with the schema's snake_case property names (a {@code @JsonNaming} on each record),
 * {@code @JsonProperty(required = true)} on the properties the schema requires, {@code @JsonInclude(NON_NULL)}
 * on the optional ones, nested records for nested objects and enums for closed {@code enum}s.
 * {@code EventDataContractTest} fails when a record and its schema disagree.
 *
 * <p>Read and write them with {@link EventTypes} (or any Jackson {@code ObjectMapper} with the
 * {@code jackson-datatype-jsr310} module, e.g. the one Quarkus provides).
 */
public sealed interface EventData
        permits ServerCreated,
                ServerProvisioned,
                ServerScaled,
                ServerRenamed,
                ServerTerminated,
                BackupCompleted,
                FirewallUpdated,
                SecurityThreatDetected,
                ClusterCreated,
                ClusterNodeJoined,
                ClusterScaled,
                ClusterDeleted,
                DeploymentStarted,
                DeploymentSucceeded,
                DeploymentFailed,
                BillingInvoiceFinalized,
                WebhookEndpointDisabled {

    /** The catalogued event type, e.g. {@code server.scaled} (the {@code TYPE} constant of the record). */
    String type();
}
