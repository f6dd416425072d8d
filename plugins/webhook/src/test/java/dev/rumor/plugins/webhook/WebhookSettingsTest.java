package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSettingsTest {

    private static Map<String, Object> ok() {
        Map<String, Object> c = new HashMap<>();
        c.put("endpoints", List.of(Map.of("url", "http://127.0.0.1:9/hook")));
        return c;
    }

    private static String error(Map<String, Object> config) {
        return assertThrows(IllegalArgumentException.class, () -> WebhookSettings.parse(config)).getMessage();
    }

    private static Map<String, Object> withEndpoints(Object... endpoints) {
        Map<String, Object> c = new HashMap<>();
        c.put("endpoints", List.of(endpoints));
        return c;
    }

    @Test
    void defaults() {
        WebhookSettings s = WebhookSettings.parse(ok());
        EndpointSettings e = s.endpoints().get(0);
        assertEquals("http://127.0.0.1:9/hook", e.url().toString());
        assertEquals(Duration.ofSeconds(10), e.timeout());
        assertTrue(e.events().matches(new UserEvent(1, "x", null, false)));
        assertEquals(Map.of(), e.headers());
        assertNull(s.secret());
        assertEquals(RetryPolicy.DEFAULT, s.retry());
        assertEquals(1000, s.queueSize());
        assertEquals(WebhookSettings.NO_RESPONSES, s.queryResponder());
        assertEquals(1024, s.maxResponseBytes());
        assertNull(s.sslContext());
    }

    @Test
    void everything() {
        Map<String, Object> c = new HashMap<>();
        c.put("endpoints", List.of(
                Map.of("url", "https://hooks.example.com/a?token=x", "events", "member-join,user:deploy",
                        "headers", Map.of("Authorization", "Bearer t", "X-Num", 5), "timeout", "500ms"),
                Map.of("url", "http://127.0.0.1:8080/b", "events", List.of("query:load", "user"))));
        c.put("secret", "s3cret");
        c.put("retry", Map.of("max_attempts", 3, "initial_backoff", "100ms", "max_backoff", "2m"));
        c.put("queue_size", "50");
        c.put("query_response", "http://127.0.0.1:8080/b");
        c.put("max_response_bytes", 4096);
        WebhookSettings s = WebhookSettings.parse(c);
        assertEquals(Map.of("Authorization", "Bearer t", "X-Num", "5"), s.endpoints().get(0).headers());
        assertEquals(Duration.ofMillis(500), s.endpoints().get(0).timeout());
        assertEquals("https://hooks.example.com/a", s.endpoints().get(0).displayUrl());
        assertEquals("member-join,user:deploy", s.endpoints().get(0).events().toString());
        assertEquals("query:load,user", s.endpoints().get(1).events().toString());
        assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), s.secret());
        assertEquals(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMinutes(2)), s.retry());
        assertEquals(50, s.queueSize());
        assertEquals(1, s.queryResponder());
        assertEquals(4096, s.maxResponseBytes());

        c.put("query_response", true);
        assertEquals(WebhookSettings.FIRST_MATCHING, WebhookSettings.parse(c).queryResponder());
        c.put("query_response", false);
        assertEquals(WebhookSettings.NO_RESPONSES, WebhookSettings.parse(c).queryResponder());
    }

    @Test
    void endpointErrorsNameTheKey() {
        assertEquals("endpoints is required", error(new HashMap<>()));
        assertEquals("endpoints: must be a list", error(new HashMap<>(Map.of("endpoints", "http://x"))));
        assertEquals("endpoints: must name at least one endpoint", error(withEndpoints()));
        assertEquals("endpoints[0]: must be a map with at least a url", error(withEndpoints("http://x/")));
        assertEquals("endpoints[0].url is required", error(withEndpoints(Map.of("events", "*"))));
        assertEquals("endpoints[1].url is required",
                error(withEndpoints(Map.of("url", "http://a/"), Map.of("timeout", "1s"))));
        assertEquals("endpoints[0].url: must be an http or https URL, got 'ftp://a/'",
                error(withEndpoints(Map.of("url", "ftp://a/"))));
        assertEquals("endpoints[0].url: must be an http or https URL, got 'hooks.example.com'",
                error(withEndpoints(Map.of("url", "hooks.example.com"))));
        assertEquals("endpoints[0].url: invalid URL 'http://a b/': Illegal character in authority",
                error(withEndpoints(Map.of("url", "http://a b/"))));
        assertEquals("endpoints[0].url: has no host: 'http:///x'",
                error(withEndpoints(Map.of("url", "http:///x"))));
        assertEquals("endpoints[1].timeout: invalid duration 'x' (use e.g. 500ms, 10s, 2m)",
                error(withEndpoints(Map.of("url", "http://a/"), Map.of("url", "http://b/", "timeout", "x"))));
        assertEquals("endpoints[0].timeout: invalid duration '10' (use e.g. 500ms, 10s, 2m)",
                error(withEndpoints(Map.of("url", "http://a/", "timeout", 10))));
        assertEquals("endpoints[0].timeout: must be greater than 0, got '0s'",
                error(withEndpoints(Map.of("url", "http://a/", "timeout", "0s"))));
        assertEquals("endpoints[0].events: unknown event type 'member-joined'",
                error(withEndpoints(Map.of("url", "http://a/", "events", "member-joined,user"))));
        assertEquals("endpoints[0].events: must be a string like \"member-join,user:deploy\"",
                error(withEndpoints(Map.of("url", "http://a/", "events", 5))));
        assertEquals("endpoints[0].headers: must be a map",
                error(withEndpoints(Map.of("url", "http://a/", "headers", "x"))));
        assertEquals("endpoints[0].headers.X-Rumor-Delivery: is set by the plugin and cannot be overridden",
                error(withEndpoints(Map.of("url", "http://a/", "headers", Map.of("X-Rumor-Delivery", "1")))));
        assertEquals("endpoints[0].headers.Host: not allowed: restricted header name: \"Host\"",
                error(withEndpoints(Map.of("url", "http://a/", "headers", Map.of("Host", "x")))));
        assertEquals("endpoints[0].urls: unknown key",
                error(withEndpoints(Map.of("url", "http://a/", "urls", "x"))));
    }

    @Test
    void otherErrorsNameTheKey() {
        Map<String, Object> c = ok();
        c.put("retries", Map.of());
        assertEquals("retries: unknown key", error(c));

        c = ok();
        c.put("retry", Map.of("max_attempts", 0));
        assertEquals("retry.max_attempts: must be an integer between 1 and 100, got '0'", error(c));
        c.put("retry", Map.of("max_attempts", "many"));
        assertEquals("retry.max_attempts: must be an integer between 1 and 100, got 'many'", error(c));
        c.put("retry", Map.of("initial_backoff", "1 s"));
        assertEquals("retry.initial_backoff: invalid duration '1 s' (use e.g. 500ms, 10s, 2m)", error(c));
        c.put("retry", Map.of("initial_backoff", "10s", "max_backoff", "5s"));
        assertEquals("retry.max_backoff: must not be less than retry.initial_backoff", error(c));
        c.put("retry", Map.of("jitter", true));
        assertEquals("retry.jitter: unknown key", error(c));
        c.put("retry", "5");
        assertEquals("retry: must be a map", error(c));

        c = ok();
        c.put("queue_size", 0);
        assertEquals("queue_size: must be an integer between 1 and 1000000, got '0'", error(c));
        c = ok();
        c.put("max_response_bytes", -1);
        assertEquals("max_response_bytes: must be an integer between 0 and 16777216, got '-1'", error(c));
        c = ok();
        c.put("secret", "");
        assertEquals("secret: must not be empty (omit it for unsigned deliveries)", error(c));
        c = ok();
        c.put("query_response", "http://other/");
        assertEquals("query_response: 'http://other/' is not the url of any of the endpoints", error(c));
        c.put("query_response", 3);
        assertEquals("query_response: must be true, false or the url of one of the endpoints, got '3'", error(c));
    }

    @Test
    void caFile(@TempDir Path dir) throws Exception {
        Map<String, Object> c = ok();
        c.put("ca_file", dir.resolve("missing.pem").toString());
        assertTrue(error(c).startsWith("ca_file: cannot read '" + dir.resolve("missing.pem") + "'"), error(c));

        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        c.put("ca_file", empty.toString());
        assertEquals("ca_file: no certificate in '" + empty + "'", error(c));

        Path pem = Files.writeString(dir.resolve("ca.pem"), TEST_CA);
        c.put("ca_file", pem.toString());
        assertNotNull(WebhookSettings.parse(c).sslContext());
    }

    /** A throwaway self-signed CA (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 36500). */
    static final String TEST_CA = """
            -----BEGIN CERTIFICATE-----
            MIIBiDCCAS2gAwIBAgIUDIV23E4o4/6Z+lY5ZZ9vX5T9fnowCgYIKoZIzj0EAwIw
            GDEWMBQGA1UEAwwNcnVtb3ItdGVzdC1jYTAgFw0yNjExMjcwOTMxMDNaGA8yMTI2
            MTEwMzA5MzEwM1owGDEWMBQGA1UEAwwNcnVtb3ItdGVzdC1jYTBZMBMGByqGSM49
            AgEGCCqGSM49AwEHA0IABCUN/0mJqol8JVchbLkR5gkOKtr6H2KJeu5vTGhv8qLo
            oELdzQf58Q8GD32mU4gJimcopBapW3WMCOtV/R3rh3ijUzBRMB0GA1UdDgQWBBTH
            dthw0mhDGNDSmNLsbUxgwE5a0TAfBgNVHSMEGDAWgBTHdthw0mhDGNDSmNLsbUxg
            wE5a0TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDlQnZb8DNl
            Zhrw8MMyEKKMXnkCNq44bqg7nLlrgwM27AIhAKgxhUmIQRLY+Bc8STpFxKiP0CQ3
            nDgsxC8HWFfQwcwh
            -----END CERTIFICATE-----
            """;
}
