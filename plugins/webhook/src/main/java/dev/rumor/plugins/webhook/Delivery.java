package dev.rumor.plugins.webhook;

import java.time.Instant;

/**
 * One document on its way to one endpoint. Built once, so every retry sends the same bytes, the same
 * delivery id and the same signature.
 *
 * @param id        delivery id (a random UUID), the receiver's deduplication key
 * @param type      event type, e.g. "member-join"
 * @param timestamp when the event was handed to the plugin
 * @param body      the JSON document, UTF-8
 */
record Delivery(String id, String type, Instant timestamp, byte[] body) {
}
