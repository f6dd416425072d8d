package dev.rumor.plugins.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The validated settings of one webhook handler instance. {@link #parse} is the only place that knows the
 * config keys; see the plugin README for their meaning.
 *
 * @param endpoints        receivers, in config order
 * @param secret           HMAC-SHA256 key, or null for unsigned deliveries
 * @param retry            retry policy shared by all endpoints
 * @param queueSize        pending deliveries per endpoint before new ones are dropped
 * @param queryResponder   index of the endpoint that answers queries, {@link #FIRST_MATCHING} for the first
 *                         endpoint whose filter matches the query, or {@link #NO_RESPONSES}
 * @param maxResponseBytes largest endpoint response accepted as a query response
 * @param sslContext       trust for https built from {@code ca_file}, or null for the JDK default trust store
 */
record WebhookSettings(List<EndpointSettings> endpoints, byte[] secret, RetryPolicy retry, int queueSize,
                       int queryResponder, int maxResponseBytes, SSLContext sslContext) {

    static final int NO_RESPONSES = -1;
    static final int FIRST_MATCHING = -2;

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_QUEUE_SIZE = 1000;
    static final int DEFAULT_MAX_RESPONSE_BYTES = 1024;

    private static final Set<String> TOP_KEYS = Set.of("endpoints", "secret", "retry", "queue_size",
            "query_response", "max_response_bytes", "ca_file");
    private static final Set<String> ENDPOINT_KEYS = Set.of("url", "events", "headers", "timeout");
    private static final Set<String> RETRY_KEYS = Set.of("max_attempts", "initial_backoff", "max_backoff");

    WebhookSettings {
        endpoints = List.copyOf(endpoints);
    }

    /** @throws IllegalArgumentException naming the offending key, e.g. "endpoints[0].url is required" */
    static WebhookSettings parse(Map<String, Object> config) {
        ConfigReader top = new ConfigReader(config, "");
        top.rejectUnknown(TOP_KEYS);

        List<?> rawEndpoints = top.list("endpoints");
        if (rawEndpoints == null) {
            throw ConfigReader.fail("endpoints is required");
        }
        if (rawEndpoints.isEmpty()) {
            throw ConfigReader.fail("endpoints: must name at least one endpoint");
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        for (int i = 0; i < rawEndpoints.size(); i++) {
            String path = "endpoints[" + i + "]";
            if (!(rawEndpoints.get(i) instanceof Map<?, ?> m)) {
                throw ConfigReader.fail(path + ": must be a map with at least a url");
            }
            endpoints.add(endpoint(new ConfigReader(m, path)));
        }

        byte[] secret = null;
        if (top.has("secret")) {
            String s = top.string("secret", null);
            if (s.isEmpty()) {
                throw ConfigReader.fail("secret: must not be empty (omit it for unsigned deliveries)");
            }
            secret = s.getBytes(StandardCharsets.UTF_8);
        }

        ConfigReader r = top.child("retry");
        r.rejectUnknown(RETRY_KEYS);
        RetryPolicy retry = new RetryPolicy(
                r.integer("max_attempts", RetryPolicy.DEFAULT.maxAttempts(), 1, 100),
                r.positiveDuration("initial_backoff", RetryPolicy.DEFAULT.initialBackoff()),
                r.positiveDuration("max_backoff", RetryPolicy.DEFAULT.maxBackoff()));
        if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
            throw ConfigReader.fail("retry.max_backoff: must not be less than retry.initial_backoff");
        }

        int queueSize = top.integer("queue_size", DEFAULT_QUEUE_SIZE, 1, 1_000_000);
        int maxResponseBytes = top.integer("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES, 0, 16 << 20);
        int responder = queryResponder(top.raw("query_response"), endpoints);

        SSLContext ssl = null;
        if (top.has("ca_file")) {
            ssl = TlsTrust.fromPemFile(Path.of(top.string("ca_file", null)), "ca_file");
        }
        return new WebhookSettings(endpoints, secret, retry, queueSize, responder, maxResponseBytes, ssl);
    }

    private static EndpointSettings endpoint(ConfigReader e) {
        e.rejectUnknown(ENDPOINT_KEYS);
        String urlText = e.requireString("url");
        URI url;
        try {
            url = new URI(urlText.strip());
        } catch (URISyntaxException ex) {
            throw ConfigReader.fail(e.key("url") + ": invalid URL '" + urlText + "': " + ex.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ConfigReader.fail(e.key("url") + ": must be an http or https URL, got '" + urlText + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw ConfigReader.fail(e.key("url") + ": has no host: '" + urlText + "'");
        }

        EventFilter events = EventFilter.ALL;
        Object rawEvents = e.raw("events");
        if (rawEvents != null) {
            String text;
            if (rawEvents instanceof List<?> l) {
                List<String> parts = new ArrayList<>();
                for (Object o : l) {
                    parts.add(String.valueOf(o));
                }
                text = String.join(",", parts);
            } else if (rawEvents instanceof String s) {
                text = s;
            } else {
                throw ConfigReader.fail(e.key("events") + ": must be a string like \"member-join,user:deploy\"");
            }
            try {
                events = EventFilter.parse(text);
            } catch (IllegalArgumentException ex) {
                throw ConfigReader.fail(e.key("events") + ": " + ex.getMessage());
            }
        }

        Map<String, String> headers = new LinkedHashMap<>();
        ConfigReader h = e.child("headers");
        for (Map.Entry<?, ?> entry : h.entries().entrySet()) {
            String name = String.valueOf(entry.getKey());
            String value = h.string(name, "");
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.startsWith("x-rumor-")) {
                throw ConfigReader.fail(h.key(name) + ": is set by the plugin and cannot be overridden");
            }
            try {
                HttpRequest.newBuilder(URI.create("http://localhost/")).header(name, value);
            } catch (IllegalArgumentException ex) {
                throw ConfigReader.fail(h.key(name) + ": not allowed: " + ex.getMessage());
            }
            headers.put(name, value);
        }

        Duration timeout = e.positiveDuration("timeout", DEFAULT_TIMEOUT);
        return new EndpointSettings(url, events, headers, timeout);
    }

    private static int queryResponder(Object v, List<EndpointSettings> endpoints) {
        if (v == null || Boolean.FALSE.equals(v) || "false".equals(v)) {
            return NO_RESPONSES;
        }
        if (Boolean.TRUE.equals(v) || "true".equals(v)) {
            return FIRST_MATCHING;
        }
        if (v instanceof String s) {
            for (int i = 0; i < endpoints.size(); i++) {
                if (endpoints.get(i).url().toString().equals(s.strip())) {
                    return i;
                }
            }
            throw ConfigReader.fail("query_response: '" + s + "' is not the url of any of the endpoints");
        }
        throw ConfigReader.fail("query_response: must be true, false or the url of one of the endpoints, got '"
                + v + "'");
    }
}
