package dev.rumor.plugins.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One receiver.
 *
 * @param url     http or https URL the documents are POSTed to
 * @param events  which events it receives
 * @param headers extra request headers (e.g. an {@code Authorization} token)
 * @param timeout bound on one attempt, from connecting until the whole response is read
 */
record EndpointSettings(URI url, EventFilter events, Map<String, String> headers, Duration timeout) {
    EndpointSettings {
        headers = Map.copyOf(headers);
    }

    /** The URL for logs: without user info and query string, which may carry credentials. */
    String displayUrl() {
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String p = url.getRawPath() == null ? "" : url.getRawPath();
        return url.getScheme() + "://" + url.getHost() + port + p;
    }
}
