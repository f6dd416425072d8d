package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorCluster;
import dev.rumor.testing.SerfAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 end to end: two in-process Rumor agents run the packaged webhook jar through the real plugin host,
 * each posting to its own HTTP receiver on loopback, in a cluster that also has a real {@code serf} agent.
 * A query is answered by the receivers' response bodies and shows up in {@code rumor query} and in
 * {@code serf query}; member joins, a failure, leaves and a user event arrive at the receivers, signed, in
 * order.
 */
class WebhookClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "cluster-secret";

    @TempDir
    Path tmp;

    private RumorCluster cluster;
    private SerfAgent serf;
    private final List<RecordingServer> receivers = new java.util.ArrayList<>();

    @AfterEach
    void tearDown() {
        if (serf != null) {
            serf.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        receivers.forEach(RecordingServer::close);
    }

    @Test
    void queriesAnsweredByTheEndpointAndMemberEventsDelivered() throws Exception {
        RecordingServer alphaHook = receiver("alpha");
        RecordingServer betaHook = receiver("beta");
        cluster = RumorCluster.builder(tmp.resolve("agents"))
                .pluginJar(RumorCluster.packagedPluginJar("rumor-plugin-webhook"))
                .build();
        RumorCluster.Node alpha = cluster.start("alpha", n -> n.tag("role", "api").handler(hooks(alphaHook)));
        RumorCluster.Node beta = cluster.start("beta", n -> n.tag("role", "api").handler(hooks(betaHook)));
        RumorCluster.Node gamma = cluster.start("gamma", n -> n.tag("role", "batch"));
        serf = SerfAgent.builder("serf-1", tmp.resolve("serf")).tag("role", "legacy").join(alpha.gossipAddress())
                .start();
        cluster.awaitStatus("serf-1", "alive", WAIT);

        // alpha's endpoint hears the others join (its own join comes first, before anyone else is there).
        Eventually.await(WAIT,
                () -> memberEvents(alphaHook, "member-join").containsAll(List.of("beta", "gamma", "serf-1")),
                () -> "member-join at alpha's endpoint: " + bodies(alphaHook));

        // rumor query: both Rumor nodes answer with their endpoint's body; serf only acks.
        CliResult rq = alpha.cli("query", "-timeout=5s", "load", "now");
        assertTrue(rq.ok(), rq.output());
        assertTrue(rq.output().contains("Response from 'alpha': load of alpha: now"), rq.output());
        assertTrue(rq.output().contains("Response from 'beta': load of beta: now"), rq.output());
        assertTrue(rq.output().contains("Ack from 'serf-1'"), rq.output());
        assertTrue(rq.output().contains("Total Responses: 2"), rq.output());

        // serf query from the real serf agent: the same answers, over the wire.
        CliResult sq = serf.cli("query", "-timeout=5s", "load", "serf");
        assertTrue(sq.ok(), sq.output());
        assertTrue(sq.output().contains("Response from 'alpha': load of alpha: serf"), sq.output());
        assertTrue(sq.output().contains("Response from 'beta': load of beta: serf"), sq.output());
        assertTrue(sq.output().contains("Total Responses: 2"), sq.output());

        // The query document the endpoint got.
        Map<String, Object> query = documents(alphaHook, "query").stream()
                .filter(d -> "serf".equals(asMap(d.get("query")).get("payload"))).findFirst().orElseThrow();
        assertEquals("load", asMap(query.get("query")).get("name"));
        assertEquals("alpha", asMap(query.get("node")).get("name"));

        // A user event from beta, and gamma (no handler) dying without a leave: both reach alpha's endpoint.
        CliResult ev = beta.cli("event", "-coalesce=false", "deploy", "v1.2");
        assertTrue(ev.ok(), ev.output());
        Eventually.await(WAIT, () -> documents(alphaHook, "user").stream()
                        .anyMatch(d -> "v1.2".equals(asMap(d.get("event")).get("payload"))),
                () -> "user event at alpha's endpoint: " + bodies(alphaHook));
        Map<String, Object> user = asMap(documents(alphaHook, "user").get(0).get("event"));
        assertEquals("deploy", user.get("name"));
        assertEquals("utf-8", user.get("payload_encoding"));
        assertEquals(false, user.get("coalesce"));
        gamma.kill();
        Eventually.await(WAIT, () -> memberEvents(alphaHook, "member-failed").contains("gamma"),
                () -> "member-failed at alpha's endpoint: " + bodies(alphaHook));

        // The serf agent leaves, then beta: both leaves reach alpha's endpoint.
        serf.leave();
        beta.leave();
        Eventually.await(WAIT, () -> memberEvents(alphaHook, "member-leave").containsAll(List.of("serf-1", "beta")),
                () -> "member-leave at alpha's endpoint: " + bodies(alphaHook));
        Map<String, Object> leave = documents(alphaHook, "member-leave").stream()
                .filter(d -> names(d).contains("beta")).findFirst().orElseThrow();
        Map<String, Object> member = members(leave).stream().filter(m -> "beta".equals(m.get("name"))).findFirst()
                .orElseThrow();
        assertEquals("left", member.get("status"));
        assertEquals("127.0.0.1", member.get("address"));
        assertEquals(Map.of("role", "api"), member.get("tags"));

        // Every delivery was signed, had its id in the body, and the joins came before the leaves.
        for (RecordingServer.Hit hit : alphaHook.hits) {
            assertEquals("POST", hit.method());
            assertEquals("application/json", hit.header("Content-Type"));
            assertTrue(MessageDigest.isEqual(hmac(hit.body()).getBytes(StandardCharsets.US_ASCII),
                    String.valueOf(hit.header("X-Rumor-Signature-256")).getBytes(StandardCharsets.US_ASCII)),
                    "signature of " + hit.bodyText());
            assertEquals(hit.header("X-Rumor-Delivery"), MiniJson.object(hit.bodyText()).get("id"));
        }
        List<String> types = alphaHook.hits.stream().map(h -> h.header("X-Rumor-Event"))
                .filter(t -> t.startsWith("member-")).toList();
        assertTrue(types.lastIndexOf("member-join") < types.indexOf("member-failed")
                && types.indexOf("member-failed") < types.indexOf("member-leave"), "in order: " + types);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A receiver that answers queries with "load of NODE: PAYLOAD" and everything else with 204. */
    private RecordingServer receiver(String node) throws Exception {
        RecordingServer s = new RecordingServer((ex, n, hit) -> {
            if ("query".equals(hit.header("X-Rumor-Event"))) {
                Object payload = asMap(MiniJson.object(hit.bodyText()).get("query")).get("payload");
                RecordingServer.send(ex, 200, ("load of " + node + ": " + payload).getBytes(StandardCharsets.UTF_8));
            } else {
                RecordingServer.send(ex, 204, new byte[0]);
            }
        });
        receivers.add(s);
        return s;
    }

    private static Map<String, Object> hooks(RecordingServer receiver) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("secret", SECRET);
        config.put("endpoints", List.of(Map.of("url", receiver.url("/hook").toString(), "timeout", "3s")));
        config.put("query_response", true);
        config.put("retry", Map.of("max_attempts", 3, "initial_backoff", "100ms", "max_backoff", "1s"));
        Map<String, Object> handler = new LinkedHashMap<>();
        handler.put("name", "hooks");
        handler.put("plugin", "webhook");
        handler.put("events", "*");
        handler.put("config", config);
        return handler;
    }

    private static List<Map<String, Object>> documents(RecordingServer s, String type) {
        return s.hits.stream().filter(h -> type.equals(h.header("X-Rumor-Event")))
                .map(h -> MiniJson.object(h.bodyText())).toList();
    }

    private static List<String> memberEvents(RecordingServer s, String type) {
        return documents(s, type).stream().flatMap(d -> names(d).stream()).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> members(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("members");
    }

    private static List<String> names(Map<String, Object> doc) {
        return members(doc).stream().map(m -> (String) m.get("name")).toList();
    }

    private static List<String> bodies(RecordingServer s) {
        return s.hits.stream().map(RecordingServer.Hit::bodyText).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
