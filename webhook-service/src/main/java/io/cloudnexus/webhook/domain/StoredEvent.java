package io.cloudnexus.webhook.domain;

/**
 * One event as the platform stored it: its id, its place in the store order ({@code seq}) and the envelope
 * bytes exactly as a webhook receiver gets them ({@code {"event":..,"id":..,"timestamp":..,"data":..}}).
 */
public record StoredEvent(String id, long seq, byte[] body) {}
