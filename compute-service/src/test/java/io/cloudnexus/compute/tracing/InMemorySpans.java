package io.cloudnexus.compute.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.Unremovable;

/**
 * The SDK's in-memory span exporter as a CDI bean: Quarkus' default {@code cdi} exporter hands every finished span to
 * each {@code SpanExporter} bean. It sees spans only where tracing is on ({@link TracingProfile}).
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    @Unremovable
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
