package io.cloudnexus.webhook.domain;

import java.util.List;

/** An event with one delivery per endpoint it was queued for (none when no endpoint wanted it). */
public record EventDetail(StoredEvent event, List<EventDeliveryView> deliveries) {}
