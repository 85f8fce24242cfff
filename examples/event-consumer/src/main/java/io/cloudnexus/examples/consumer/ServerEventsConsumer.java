package io.cloudnexus.examples.consumer;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.EventTypes;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Reads compute.events: each Kafka record is one CloudEvent in binary mode, so SmallRye exposes its ce_* headers
 * as {@link IncomingCloudEventMetadata}; the value is the event's data object, read into its contracts record.
 * Delivery is at least once (a producer or a consumer crash re-sends), so events are deduplicated on
 * {@code ce_id}.
 */
@ApplicationScoped
public class ServerEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ServerEventsConsumer.class);

    private final ProcessedEvents processed;
    private final ServerInventory inventory;

    public ServerEventsConsumer(ProcessedEvents processed, ServerInventory inventory) {
        this.processed = processed;
        this.inventory = inventory;
    }

    @Incoming("compute-events")
    public CompletionStage<Void> consume(Message<byte[]> message) {
        IncomingCloudEventMetadata<?> event =
                message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (event == null || event.getSubject().isEmpty() || !EventTypes.isKnown(event.getType())) {
            return message.ack(); // not a CloudNexus event, or a type this version of contracts does not know yet
        }
        EventData data = EventTypes.read(event.getType(), message.getPayload());
        if (processed.firstTime(event.getId())) {
            inventory.apply(event.getSubject().get(), data);
        } else {
            LOG.debugf("Duplicate %s (%s) ignored", event.getId(), event.getType());
        }
        return message.ack();
    }
}
