package io.cloudnexus.eventstore.outbox;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cloudnexus.eventstore.EventsAppended;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs this process's {@link OutboxRelay} from startup to shutdown, and wakes it after every commit that
 * appended events. Services get it by depending on event-store and setting {@code cloudnexus.outbox.topic}.
 */
@ApplicationScoped
public class OutboxRelayService {

    private static final Logger LOG = Logger.getLogger(OutboxRelayService.class);

    private final DataSource dataSource;
    private final OutboxConfig config;
    private final Tracer tracer; // null: tracing off
    private volatile OutboxRelay relay;

    @Inject
    public OutboxRelayService(
            DataSource dataSource,
            OutboxConfig config,
            OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean tracingDisabled) {
        this.dataSource = dataSource;
        this.config = config;
        // a disabled SDK still makes (unexported) spans: with tracing off the relay makes none at all
        this.tracer = tracingDisabled ? null : openTelemetry.getTracer(RelayTracing.INSTRUMENTATION);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled (cloudnexus.outbox.enabled=false)");
        } else if (config.topic().isEmpty()) {
            LOG.warn("No cloudnexus.outbox.topic configured: events stay in the outbox until a relay runs");
        } else {
            relay = new OutboxRelay(dataSource, config.settings(), tracer).start();
        }
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventsAppended appended) {
        OutboxRelay current = relay;
        if (current != null) {
            current.wake();
        }
    }

    /** The running relay's state, for health checks and metrics. */
    public boolean isActive() {
        OutboxRelay current = relay;
        return current != null && current.isActive();
    }

    public boolean isFailing() {
        OutboxRelay current = relay;
        return current != null && current.isFailing();
    }

    public long publishedCount() {
        OutboxRelay current = relay;
        return current == null ? 0 : current.publishedCount();
    }

    @PreDestroy
    void stop() {
        OutboxRelay current = relay;
        relay = null;
        if (current != null) {
            current.close();
        }
    }
}
