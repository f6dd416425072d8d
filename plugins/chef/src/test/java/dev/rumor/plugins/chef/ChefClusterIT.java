package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.CliResult;
import dev.rumor.testing.RumorCluster;
import dev.rumor.testing.SerfAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 end to end: three in-process Rumor agents run the packaged chef jar through the real plugin host,
 * each with its own stand-in chef-client ({@link FakeChefClient}). {@code rumor event deploy} reaches them
 * by gossip; only the two role=web nodes converge, once each; {@code rumor query chef-status} collects
 * every node's last result.
 */
class ChefClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern RESPONSE = Pattern.compile("Response from '([^']+)': (\\{.*\\})");

    @TempDir
    Path tmp;

    private RumorCluster cluster;
    private SerfAgent serf;

    @AfterEach
    void tearDown() {
        if (serf != null) {
            serf.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void deployRunsOnWebNodesOnceAndStatusIsClusterWide() throws Exception {
        cluster = RumorCluster.builder(tmp.resolve("agents"))
                .pluginJar(RumorCluster.packagedPluginJar("rumor-plugin-chef"))
                .build();
        Map<String, FakeChefClient> chef = new LinkedHashMap<>();
        Map<String, String> roles = Map.of("web1", "web", "web2", "web", "db1", "db");
        for (String name : List.of("web1", "web2", "db1")) {
            FakeChefClient c = new FakeChefClient(tmp.resolve("chef-" + name));
            chef.put(name, c);
            cluster.start(name, n -> n.tag("role", roles.get(name)).handler(deployHandler(c)));
        }
        cluster.awaitConverged();

        CliResult ev = cluster.node("db1").cli("event", "deploy");
        assertTrue(ev.ok(), ev.output());
        assertTrue(ev.output().contains("Event 'deploy' dispatched"), ev.output());

        for (String name : List.of("web1", "web2")) {
            FakeChefClient c = chef.get(name);
            dev.rumor.testing.Eventually.await(WAIT, () -> c.runs().size() == 1 && c.runs().get(0).end() > 0,
                    () -> name + " runs: " + c.runs());
            FakeChefClient.Run run = c.runs().get(0);
            Path attributes = cluster.node(name).dataDir().resolve("deploy").resolve(ChefHandler.ATTRIBUTES_FILE);
            assertEquals(List.of("--once", "--no-fork", "-j", attributes.toString()), run.args(), name);
            assertTrue(Files.exists(attributes), attributes.toString());
            assertEquals("user", run.env().get("SERF_EVENT"));
            assertEquals("deploy", run.env().get("SERF_USER_EVENT"));
            assertEquals(name, run.env().get("SERF_SELF_NAME"));
            assertEquals("web", run.env().get("SERF_TAG_ROLE"));
        }

        // chef-status from every node: the web nodes' successful runs, and db1 never ran.
        Map<String, Map<String, Object>> status = new LinkedHashMap<>();
        dev.rumor.testing.Eventually.await(WAIT, () -> {
            status.clear();
            status.putAll(chefStatus());
            return status.keySet().equals(roles.keySet()) && status.values().stream()
                    .allMatch(s -> "idle".equals(s.get("state")) && Boolean.FALSE.equals(s.get("pending")));
        }, () -> "chef-status answers: " + status);
        for (String name : List.of("web1", "web2")) {
            Map<String, Object> s = status.get(name);
            assertEquals(name, s.get("node"));
            assertEquals(1L, ((Number) s.get("runs")).longValue(), name + ": " + s);
            Map<String, Object> last = asMap(s.get("last_run"));
            assertEquals(0L, ((Number) last.get("exit_code")).longValue(), name + ": " + last);
            assertEquals(true, last.get("success"));
            assertEquals("deploy", last.get("event"));
            assertEquals(false, last.get("timed_out"));
        }
        assertEquals("db1", status.get("db1").get("node"));
        assertEquals(0L, ((Number) status.get("db1").get("runs")).longValue());
        assertNull(status.get("db1").get("last_run"), "db1 is not role=web: " + status.get("db1"));
        assertFalse(Files.exists(chef.get("db1").record()), "the stand-in never ran on db1");
        // Still exactly one run each: the event was not delivered twice.
        assertEquals(1, chef.get("web1").runs().size());
        assertEquals(1, chef.get("web2").runs().size());
    }

    /** The README's other entry point: {@code serf event deploy} from a real serf agent in the cluster. */
    @Test
    void serfEventDeployAndSerfQueryInAMixedCluster() throws Exception {
        cluster = RumorCluster.builder(tmp.resolve("agents"))
                .pluginJar(RumorCluster.packagedPluginJar("rumor-plugin-chef"))
                .build();
        FakeChefClient web = new FakeChefClient(tmp.resolve("chef-web1"));
        FakeChefClient db = new FakeChefClient(tmp.resolve("chef-db1"));
        RumorCluster.Node web1 = cluster.start("web1", n -> n.tag("role", "web").handler(deployHandler(web)));
        cluster.start("db1", n -> n.tag("role", "db").handler(deployHandler(db)));
        serf = SerfAgent.builder("serf-1", tmp.resolve("serf")).join(web1.gossipAddress()).start();
        cluster.awaitStatus("serf-1", "alive", WAIT);

        CliResult ev = serf.cli("event", "deploy");
        assertTrue(ev.ok(), ev.output());
        dev.rumor.testing.Eventually.await(WAIT, () -> web.runs().size() == 1 && web.runs().get(0).end() > 0,
                () -> "web1 runs: " + web.runs());

        Map<String, Map<String, Object>> status = new LinkedHashMap<>();
        dev.rumor.testing.Eventually.await(WAIT, () -> {
            CliResult q = serf.cli("query", "-timeout=5s", "chef-status");
            status.clear();
            status.putAll(parseResponses(q.output()));
            return status.keySet().equals(java.util.Set.of("web1", "db1"))
                    && "idle".equals(status.get("web1").get("state"));
        }, () -> "serf query chef-status: " + status);
        Map<String, Object> last = asMap(status.get("web1").get("last_run"));
        assertEquals(true, last.get("success"), last.toString());
        assertEquals("deploy", last.get("event"));
        assertNull(status.get("db1").get("last_run"));
        assertFalse(Files.exists(db.record()), "the stand-in never ran on db1");
        assertEquals(1, web.runs().size());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The README's handler, with the stand-in as chef-client and no splay. */
    private static Map<String, Object> deployHandler(FakeChefClient c) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("events", "user:deploy");
        config.put("self_tags", Map.of("role", "web"));
        config.put("command", List.of(c.script().toString(), "--once", "--no-fork"));
        config.put("json_attributes", Map.of("app", Map.of("channel", "stable")));
        config.put("splay", "0");
        config.put("timeout", "30s");
        config.put("lock_file", c.lock().toString());
        config.put("kill_on_close", true);
        config.put("env", c.env(0.2, 0));
        Map<String, Object> handler = new LinkedHashMap<>();
        handler.put("name", "deploy");
        handler.put("plugin", "chef");
        handler.put("events", "user:deploy,query:chef-status");
        handler.put("config", config);
        return handler;
    }

    /** {@code rumor query chef-status}, parsed: node name to its status document. */
    private Map<String, Map<String, Object>> chefStatus() {
        CliResult q = cluster.node("web1").cli("query", "-timeout=5s", "chef-status");
        if (!q.ok()) {
            throw new AssertionError(q.output());
        }
        return parseResponses(q.output());
    }

    /** "Response from 'NODE': {JSON}" lines of {@code rumor query} or {@code serf query}. */
    private static Map<String, Map<String, Object>> parseResponses(String output) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Matcher m = RESPONSE.matcher(output);
        while (m.find()) {
            out.put(m.group(1), asMap(Json.parse(m.group(2))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
