package dev.rumor.plugins.webhook;

/**
 * Counters of one endpoint since the handler was created.
 *
 * @param url       the endpoint URL without credentials or query string
 * @param delivered deliveries the endpoint accepted with a 2xx
 * @param retried   attempts beyond the first (one delivery retried twice counts 2)
 * @param dropped   deliveries given up: attempts exhausted, a non-retryable answer, query deadline
 *                  passed, queue full, or still pending when the handler closed
 * @param queued    deliveries waiting in the queue now
 */
public record EndpointStats(String url, long delivered, long retried, long dropped, int queued) {
}
