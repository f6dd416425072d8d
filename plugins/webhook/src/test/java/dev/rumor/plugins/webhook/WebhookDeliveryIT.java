package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler against real HTTP receivers on 127.0.0.1. */
class WebhookDeliveryIT {
    private static final String SECRET = "topsecret";
    private static final Member WEB1 = new Member("web-1", "10.0.0.5", 7946, Map.of("role", "web"),
            MemberStatus.ALIVE);
    private static final Member WEB2 = new Member("web-2", "10.0.0.6", 7947, Map.of(), MemberStatus.ALIVE);

    @TempDir
    Path dataDir;
    private TestContext context;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void setUp() {
        context = new TestContext(dataDir);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private RecordingServer server(RecordingServer.Responder r) throws Exception {
        return track(new RecordingServer(r));
    }

    private <T extends AutoCloseable> T track(T c) {
        cleanup.add(c);
        return c;
    }

    private WebhookHandler handler(Map<String, Object> config, Timing timing) {
        return track(new WebhookHandler(context, WebhookSettings.parse(config), timing));
    }

    private static void await(BooleanSupplier condition, Duration max, Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static UserEvent user(String name, String payload) {
        return new UserEvent(1, name, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    @Test
    void deliversDocumentedJsonSignedAndInOrder() throws Exception {
        RecordingServer all = server(RecordingServer.status(204));
        RecordingServer deploys = server(RecordingServer.status(200));
        EventHandler h = track(new WebhookHandlerFactory().create(context, Map.of(
                "secret", SECRET,
                "endpoints", List.of(
                        Map.of("url", all.url("/hook").toString(), "headers", Map.of("Authorization", "Bearer t")),
                        Map.of("url", deploys.url("/deploy").toString(), "events", "user:deploy")))));

        List<Event> events = List.of(
                new MemberEvent(EventType.MEMBER_JOIN, List.of(WEB1, WEB2)),
                new MemberEvent(EventType.MEMBER_LEAVE,
                        List.of(new Member("web-1", "10.0.0.5", 7946, Map.of("role", "web"), MemberStatus.LEFT))),
                new MemberEvent(EventType.MEMBER_FAILED,
                        List.of(new Member("web-2", "10.0.0.6", 7947, Map.of(), MemberStatus.FAILED))),
                new UserEvent(17, "deploy", "v1.2".getBytes(StandardCharsets.UTF_8), true),
                new UserEvent(18, "blob", new byte[] {(byte) 0xc3, 0x28}, false));
        Instant before = Instant.now().minusSeconds(1);
        for (Event e : events) {
            h.handle(e);
        }
        await(() -> all.hits.size() == 5 && deploys.hits.size() == 1, Duration.ofSeconds(10),
                () -> all.hits.size() + " and " + deploys.hits.size() + " hits");

        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (RecordingServer.Hit hit : all.hits) {
            assertEquals("POST", hit.method());
            assertEquals("HTTP/1.1", hit.protocol());
            assertNull(hit.header("Upgrade"), "no h2c upgrade");
            assertEquals("application/json", hit.header("Content-Type"));
            assertEquals("Bearer t", hit.header("Authorization"));
            String sig = hit.header("X-Rumor-Signature-256");
            assertTrue(MessageDigest.isEqual(hmac(hit.body()).getBytes(StandardCharsets.US_ASCII),
                    sig.getBytes(StandardCharsets.US_ASCII)), "signature " + sig);

            Map<String, Object> doc = MiniJson.object(hit.bodyText());
            assertEquals(hit.header("X-Rumor-Delivery"), doc.get("id"));
            assertEquals(hit.header("X-Rumor-Event"), doc.get("type"));
            Instant ts = Instant.parse((String) doc.get("timestamp"));
            assertTrue(!ts.isBefore(before) && ts.isBefore(Instant.now().plusSeconds(1)), "timestamp " + ts);
            assertEquals(Long.toString(ts.getEpochSecond()), hit.header("X-Rumor-Timestamp"));
            assertEquals(Map.of("name", "lb1", "tags", Map.of("dc", "east", "role", "lb")), doc.get("node"));
            types.add((String) doc.get("type"));
            ids.add((String) doc.get("id"));
        }
        assertEquals(List.of("member-join", "member-leave", "member-failed", "user", "user"), types);
        assertEquals(5, ids.stream().distinct().count(), "a delivery id per delivery");

        Map<String, Object> join = MiniJson.object(all.hits.get(0).bodyText());
        assertEquals(List.of(
                Map.of("name", "web-1", "address", "10.0.0.5", "port", 7946L, "status", "alive",
                        "tags", Map.of("role", "web")),
                Map.of("name", "web-2", "address", "10.0.0.6", "port", 7947L, "status", "alive", "tags", Map.of())),
                join.get("members"));
        assertEquals("left", ((Map<?, ?>) ((List<?>) MiniJson.object(all.hits.get(1).bodyText())
                .get("members")).get(0)).get("status"));
        assertEquals("failed", ((Map<?, ?>) ((List<?>) MiniJson.object(all.hits.get(2).bodyText())
                .get("members")).get(0)).get("status"));
        assertEquals(Map.of("name", "deploy", "payload", "v1.2", "payload_encoding", "utf-8", "ltime", 17L,
                "coalesce", true), MiniJson.object(all.hits.get(3).bodyText()).get("event"));
        assertEquals(Map.of("name", "blob", "payload", "wyg=", "payload_encoding", "base64", "ltime", 18L,
                "coalesce", false), MiniJson.object(all.hits.get(4).bodyText()).get("event"));

        // the filtered endpoint got only the deploy event, as its own delivery
        RecordingServer.Hit deploy = deploys.hits.get(0);
        Map<String, Object> doc = MiniJson.object(deploy.bodyText());
        assertEquals("deploy", ((Map<?, ?>) doc.get("event")).get("name"));
        assertNotEquals(ids.get(3), doc.get("id"));
        assertEquals(hmac(deploy.body()), deploy.header("X-Rumor-Signature-256"));
        assertNull(deploy.header("Authorization"), "headers are per endpoint");

        List<EndpointStats> stats = ((WebhookHandler) h).stats();
        await(() -> ((WebhookHandler) h).stats().get(0).delivered() == 5, Duration.ofSeconds(5), stats::toString);
        assertEquals(new EndpointStats(all.url("/hook").toString(), 5, 0, 0, 0), ((WebhookHandler) h).stats().get(0));
        await(() -> ((WebhookHandler) h).stats().get(1).delivered() == 1, Duration.ofSeconds(5), stats::toString);
    }

    @Test
    void unsignedWithoutSecret() throws Exception {
        RecordingServer s = server(RecordingServer.status(204));
        WebhookHandler h = handler(Map.of("endpoints", List.of(Map.of("url", s.url("/").toString()))), Timing.SYSTEM);
        h.handle(user("x", ""));
        await(() -> s.hits.size() == 1, Duration.ofSeconds(10), () -> "a hit");
        assertNull(s.hits.get(0).header("X-Rumor-Signature-256"));
        assertEquals("user", s.hits.get(0).header("X-Rumor-Event"));
    }

    @Test
    void serverErrorsAreRetriedWithTheSameDeliveryHonouringRetryAfter() throws Exception {
        RecordingServer s = server((ex, n, hit) -> {
            if (n == 1) {
                ex.sendResponseHeaders(503, -1);
            } else if (n == 2) {
                ex.getResponseHeaders().set("Retry-After", "3");
                RecordingServer.send(ex, 503, "busy".getBytes(StandardCharsets.UTF_8));
            } else {
                ex.sendResponseHeaders(204, -1);
            }
        });
        FakeTiming timing = new FakeTiming();
        WebhookHandler h = handler(Map.of("secret", SECRET,
                "retry", Map.of("initial_backoff", "1s", "max_backoff", "60s"),
                "endpoints", List.of(Map.of("url", s.url("/").toString()))), timing);
        h.handle(user("deploy", "v2"));
        await(() -> h.stats().get(0).delivered() == 1, Duration.ofSeconds(10), () -> h.stats().toString());

        assertEquals(3, s.hits.size());
        String id = s.hits.get(0).header("X-Rumor-Delivery");
        for (RecordingServer.Hit hit : s.hits) {
            assertEquals(id, hit.header("X-Rumor-Delivery"));
            assertArrayEquals(s.hits.get(0).body(), hit.body());
            assertEquals(hmac(hit.body()), hit.header("X-Rumor-Signature-256"));
        }
        // full jitter (random fixed at 0.5) under the 1s cap, then Retry-After 3s beats the 2s cap's jitter
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(3)), timing.sleeps);
        assertEquals(new EndpointStats(s.url("/").toString(), 1, 2, 0, 0), h.stats().get(0));
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        RecordingServer s = server((ex, n, hit) ->
                RecordingServer.send(ex, 400, "bad payload".getBytes(StandardCharsets.UTF_8)));
        FakeTiming timing = new FakeTiming();
        WebhookHandler h = handler(Map.of("endpoints", List.of(Map.of("url", s.url("/").toString()))), timing);
        h.handle(user("deploy", "v2"));
        await(() -> h.stats().get(0).dropped() == 1, Duration.ofSeconds(10), () -> h.stats().toString());
        assertEquals(1, s.hits.size());
        assertEquals(List.of(), timing.sleeps);
        assertEquals(new EndpointStats(s.url("/").toString(), 0, 0, 1, 0), h.stats().get(0));
    }

    @Test
    void attemptsAreBounded() throws Exception {
        RecordingServer s = server(RecordingServer.status(500));
        FakeTiming timing = new FakeTiming();
        WebhookHandler h = handler(Map.of("retry", Map.of("max_attempts", 4),
                "endpoints", List.of(Map.of("url", s.url("/").toString()))), timing);
        h.handle(user("a", ""));
        h.handle(user("b", ""));
        await(() -> h.stats().get(0).dropped() == 2, Duration.ofSeconds(10), () -> h.stats().toString());
        assertEquals(8, s.hits.size());
        assertEquals(new EndpointStats(s.url("/").toString(), 0, 6, 2, 0), h.stats().get(0));
        // in order: all attempts of "a" before the first of "b"
        assertEquals(List.of("a", "a", "a", "a", "b", "b", "b", "b"), s.hits.stream()
                .map(hit -> ((Map<?, ?>) MiniJson.object(hit.bodyText()).get("event")).get("name")).toList());
        assertEquals(Duration.ofMillis(500), timing.sleeps.get(0));
        assertEquals(Duration.ofSeconds(1), timing.sleeps.get(1));
        assertEquals(Duration.ofSeconds(2), timing.sleeps.get(2));
    }

    @Test
    void hungEndpointTimesOutAndIsDroppedWhileAnotherGetsEverythingPromptly() throws Exception {
        RecordingServer slow = track(RecordingServer.hanging());
        RecordingServer healthy = server(RecordingServer.status(204));
        WebhookHandler h = handler(Map.of(
                "retry", Map.of("max_attempts", 2, "initial_backoff", "1ms", "max_backoff", "5ms"),
                "endpoints", List.of(
                        Map.of("url", slow.url("/").toString(), "timeout", "600ms"),
                        Map.of("url", healthy.url("/").toString()))), Timing.SYSTEM);

        long start = System.nanoTime();
        h.handle(user("first", ""));
        h.handle(user("second", ""));
        long handleMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(handleMillis < 600, "handle() does not wait for the endpoint: " + handleMillis + " ms");

        await(() -> healthy.hits.size() == 2, Duration.ofSeconds(10), () -> healthy.hits.size() + " hits");
        // the slow endpoint cannot have given up on its first delivery yet (2 attempts x 600 ms)
        assertEquals(0, h.stats().get(0).dropped(), () -> h.stats().toString());

        await(() -> h.stats().get(0).dropped() == 2, Duration.ofSeconds(10), () -> h.stats().toString());
        assertEquals(new EndpointStats(slow.url("/").toString(), 0, 2, 2, 0), h.stats().get(0));
        assertEquals(new EndpointStats(healthy.url("/").toString(), 2, 0, 0, 0), h.stats().get(1));
        assertEquals(4, slow.hits.size());
        assertEquals(slow.hits.get(0).header("X-Rumor-Delivery"), slow.hits.get(1).header("X-Rumor-Delivery"));
        assertEquals(slow.hits.get(2).header("X-Rumor-Delivery"), slow.hits.get(3).header("X-Rumor-Delivery"));
        assertNotEquals(slow.hits.get(0).header("X-Rumor-Delivery"), slow.hits.get(2).header("X-Rumor-Delivery"));
    }

    @Test
    void fullQueueDropsNewDeliveriesAndCloseIsPrompt() throws Exception {
        RecordingServer slow = track(RecordingServer.hanging());
        WebhookHandler h = new WebhookHandler(context, WebhookSettings.parse(Map.of("queue_size", 1,
                "endpoints", List.of(Map.of("url", slow.url("/").toString(), "timeout", "30s")))), Timing.SYSTEM);
        try {
            h.handle(user("in-flight", ""));
            await(() -> slow.hits.size() == 1, Duration.ofSeconds(10), () -> "the first request");
            h.handle(user("queued", ""));
            h.handle(user("overflow", ""));
            assertEquals(new EndpointStats(slow.url("/").toString(), 0, 0, 1, 1), h.stats().get(0));
        } finally {
            long start = System.nanoTime();
            h.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closeMillis < 1500, "close took " + closeMillis + " ms");
        }
        // the in-flight and the queued delivery are dropped too
        assertEquals(new EndpointStats(slow.url("/").toString(), 0, 0, 3, 0), h.stats().get(0));
        assertEquals(1, slow.hits.size());
    }

    @Test
    void queryIsAnsweredWithTheResponseBodyAndOversizeBodiesAreRefused() throws Exception {
        RecordingServer responder = server((ex, n, hit) -> {
            Map<?, ?> q = (Map<?, ?>) MiniJson.object(hit.bodyText()).get("query");
            byte[] answer = "big".equals(q.get("payload"))
                    ? "x".repeat(2000).getBytes(StandardCharsets.UTF_8)
                    : ("pong:" + q.get("payload")).getBytes(StandardCharsets.UTF_8);
            RecordingServer.send(ex, 200, answer);
        });
        RecordingServer observer = server(RecordingServer.status(204));
        WebhookHandler h = handler(Map.of("query_response", true, "max_response_bytes", 1024,
                "endpoints", List.of(
                        Map.of("url", responder.url("/q").toString(), "events", "query:ping"),
                        Map.of("url", observer.url("/all").toString()))), Timing.SYSTEM);

        QueryEvent ping = new QueryEvent(5, 77, "ping", "small".getBytes(StandardCharsets.UTF_8),
                Instant.now().plusSeconds(10));
        h.handle(ping);
        await(() -> context.responses.size() == 1, Duration.ofSeconds(10), () -> "a response");
        assertSame(ping, context.responses.get(0).query());
        assertEquals("pong:small", new String(context.responses.get(0).payload(), StandardCharsets.UTF_8));
        Map<?, ?> q = (Map<?, ?>) MiniJson.object(responder.hits.get(0).bodyText()).get("query");
        assertEquals(Map.of("name", "ping", "payload", "small", "payload_encoding", "utf-8", "ltime", 5L, "id", 77L,
                "deadline", EventDocument.rfc3339(ping.deadline())), q);
        // the other endpoint is notified of the query but does not answer it
        await(() -> observer.hits.size() == 1, Duration.ofSeconds(10), () -> "the observer's copy");
        assertEquals("query", observer.hits.get(0).header("X-Rumor-Event"));

        QueryEvent big = new QueryEvent(6, 78, "ping", "big".getBytes(StandardCharsets.UTF_8),
                Instant.now().plusSeconds(10));
        h.handle(big);
        // delivered is counted after the response was (not) sent, so this wait covers it
        await(() -> h.stats().get(0).delivered() == 2, Duration.ofSeconds(10), () -> h.stats().toString());
        assertEquals(1, context.responses.size(), "a 2000-byte answer over max_response_bytes is not sent");
    }

    @Test
    void queryGivesUpAtItsDeadline() throws Exception {
        RecordingServer slow = track(RecordingServer.hanging());
        WebhookHandler h = handler(Map.of("query_response", slow.url("/").toString(),
                "endpoints", List.of(Map.of("url", slow.url("/").toString(), "timeout", "30s"))), Timing.SYSTEM);
        long start = System.nanoTime();
        h.handle(new QueryEvent(1, 1, "ping", null, Instant.now().plusMillis(300)));
        await(() -> h.stats().get(0).dropped() == 1, Duration.ofSeconds(10), () -> h.stats().toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 250 && millis < 3000, "gave up after " + millis + " ms");
        assertEquals(List.of(), context.responses);
    }
}
