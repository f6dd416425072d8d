package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.RumorCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: the packaged haproxy jar, loaded by the real plugin host of an in-process Rumor agent
 * (role=lb), keeps a real HAProxy's backend equal to the alive role=web members of a real Rumor cluster.
 * Each web agent sits next to an HTTP server on its own loopback port, announced in its {@code port} tag.
 * Nothing here calls the handler: everything it learns comes through gossip and the agent's event pipeline.
 */
class HaproxyClusterIT {
    /** Member events pass the agent's coalescer (up to 3 s); a killed node is declared failed in a few s. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private HaproxyProcess haproxy;
    private RumorCluster cluster;
    private final Map<String, WebServer> web = new LinkedHashMap<>();
    private StderrTee stderr;

    @BeforeEach
    void setUp() throws Exception {
        stderr = StderrTee.install();
        haproxy = new HaproxyProcess(Files.createDirectories(tmp.resolve("haproxy")));
        for (String name : List.of("web-1", "web-2", "web-3", "web-4")) {
            web.put(name, new WebServer(name));
        }
        cluster = RumorCluster.builder(tmp.resolve("agents"))
                .pluginJar(RumorCluster.packagedPluginJar("rumor-plugin-haproxy"))
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        web.values().forEach(WebServer::close);
        haproxy.close();
        stderr.close();
    }

    @Test
    void backendFollowsTheCluster() throws Exception {
        haproxy.start();
        RumorCluster.Node lb = cluster.start("lb", n -> n.tag("role", "lb").handler(lbHandler(Map.of())));
        for (String name : List.of("web-1", "web-2", "web-3")) {
            startWeb(name);
        }
        awaitServers("web-1", "web-2", "web-3");
        awaitResponders(Set.of("web-1", "web-2", "web-3"));
        Routing.assertConfigServers(haproxy, web, "web-1", "web-2", "web-3");

        // web-1 dies outright (agent closed without leaving, web server gone): every request keeps
        // succeeding (HAProxy redispatches), and once the cluster declares it failed it is removed.
        cluster.node("web-1").kill();
        web.get("web-1").close();
        long killed = System.nanoTime();
        while (!haproxy.servers().equals(Set.of("web-2", "web-3"))) {
            assertTrue(System.nanoTime() - killed < WAIT.toNanos(), "web-1 not removed: " + haproxy.servers()
                    + " lb sees " + cluster.node("lb").view());
            Routing.assertOnlyFrom(haproxy, Set.of("web-2", "web-3"), 2);
        }
        assertEquals("failed", cluster.node("lb").statusOf("web-1"));
        awaitResponders(Set.of("web-2", "web-3"));
        Routing.assertConfigServers(haproxy, web, "web-2", "web-3");

        // web-2 leaves gracefully while a request is in flight on it: drained (no new requests), removed
        // once idle, and the in-flight request completes.
        WebServer w2 = web.get("web-2");
        WebServer w3 = web.get("web-3");
        List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
        while (w2.slowHeld() == 0) {
            assertTrue(slow.size() < 6, "roundrobin never sent a /slow request to web-2");
            int held = w2.slowHeld() + w3.slowHeld();
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(haproxy.frontendPort, "/slow");
                } catch (IOException e) {
                    return new Http.Response(-1, e.toString());
                }
            }));
            Eventually.await(WAIT, "the /slow request reaches a server", () -> w2.slowHeld() + w3.slowHeld() > held);
        }
        cluster.node("web-2").leave();
        Eventually.await(WAIT, "web-2 in drain", () -> haproxy.serverStates().stream()
                .anyMatch(s -> s.name().equals("web-2") && s.inForcedDrain()));
        // As in serf, the leave intent travels by gossip with a small retransmit limit, so lb may hear
        // memberlist's "dead" first (failed) and the intent a moment later, relayed (failed -> left).
        Eventually.await(WAIT, "lb sees web-2 left, not failed (" + cluster.node("lb").view() + ")",
                () -> "left".equals(cluster.node("lb").statusOf("web-2")));
        Routing.assertConfigServers(haproxy, web, "web-3");
        Routing.assertOnlyFrom(haproxy, Set.of("web-3"), 4);
        assertTrue(haproxy.servers().contains("web-2"), "web-2 must stay while its session is open");
        w2.releaseSlow();
        w3.releaseSlow();
        for (CompletableFuture<Http.Response> f : slow) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).status(), "in-flight request during the drain");
        }
        awaitServers("web-3");

        // A new web node joins: added.
        startWeb("web-4");
        awaitServers("web-3", "web-4");
        awaitResponders(Set.of("web-3", "web-4"));

        // HAProxy reloads: the servers come back from the managed block of its config file.
        int reloads = haproxy.reloads();
        haproxy.masterCli("reload");
        Eventually.await(WAIT, "HAProxy reloaded", () -> haproxy.reloads() > reloads && haproxy.workers() == 1
                && haproxy.cli("show version").contains("2."));
        assertEquals(Set.of("web-3", "web-4"), haproxy.servers());
        awaitResponders(Set.of("web-3", "web-4"));

        // web-3's role changes to db: removed. Back to web: added again (hold_down is 0 here).
        String port3 = Integer.toString(w3.port());
        cluster.node("web-3").setTags(Map.of("role", "db", "port", port3));
        awaitServers("web-4");
        Routing.assertOnlyFrom(haproxy, Set.of("web-4"), 4);
        Routing.assertConfigServers(haproxy, web, "web-4");
        assertEquals("alive", cluster.node("lb").statusOf("web-3"));
        cluster.node("web-3").setTags(Map.of("role", "web", "port", port3));
        awaitServers("web-3", "web-4");
        awaitResponders(Set.of("web-3", "web-4"));
        Routing.assertConfigServers(haproxy, web, "web-3", "web-4");

        // The lb agent reloads (as on SIGHUP) with an option HAProxy rejects: `haproxy -c` refuses the new
        // file, so the old one stays, the error is logged, and traffic keeps flowing to the same servers.
        String goodConfig = Files.readString(haproxy.config);
        int reloadsBefore = haproxy.reloads();
        List<String> report = lb.reload(n -> n.tag("role", "lb")
                .handler(lbHandler(Map.of("check", true, "check_options", "inter banana"))));
        assertTrue(report.stream().anyMatch(l -> l.startsWith("handlers:")), "handler re-created: " + report);
        Eventually.await(WAIT, "the validation failure is logged", () -> stderr.text().contains("failed validation"));
        assertTrue(stderr.text().contains("rumor.handler.lb"), "logged by the handler instance: " + stderr.text());
        assertEquals(goodConfig, Files.readString(haproxy.config), "the old config stays");
        assertEquals(reloadsBefore, haproxy.reloads(), "HAProxy was not reloaded with a bad config");
        assertEquals(Set.of("web-3", "web-4"), haproxy.servers());
        Routing.assertOnlyFrom(haproxy, Set.of("web-3", "web-4"), 4);

        // Fixed: the servers now get health checks, which the runtime API cannot add to existing servers,
        // so the handler writes the file and reloads HAProxy through the master socket.
        lb.reload(n -> n.tag("role", "lb").handler(lbHandler(Map.of("check", true, "check_options", "inter 1s"))));
        Eventually.await(WAIT, "HAProxy reloaded with checks", () -> haproxy.reloads() > reloadsBefore
                && haproxy.workers() == 1 && Files.readString(haproxy.config).contains("check inter 1s"));
        Routing.assertConfigServers(haproxy, web, "web-3", "web-4");
        awaitServers("web-3", "web-4");
        awaitResponders(Set.of("web-3", "web-4"));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /**
     * Copies what is written to {@code System.err} (where slf4j-simple, looking the stream up on every write,
     * sends the agents' and handlers' log lines) while still passing it on.
     */
    private static final class StderrTee extends java.io.OutputStream {
        private final java.io.PrintStream original;
        private final java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();

        private StderrTee(java.io.PrintStream original) {
            this.original = original;
        }

        static StderrTee install() {
            StderrTee tee = new StderrTee(System.err);
            System.setErr(new java.io.PrintStream(tee, true, java.nio.charset.StandardCharsets.UTF_8));
            return tee;
        }

        @Override
        public synchronized void write(int b) {
            copy.write(b);
            original.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            original.write(b, off, len);
        }

        synchronized String text() {
            return copy.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }

    private void startWeb(String name) throws Exception {
        cluster.start(name, n -> n.tag("role", "web").tag("port", Integer.toString(web.get(name).port())));
    }

    /** The handler instance on the load balancer, as an operator writes it under {@code handlers}. */
    private Map<String, Object> lbHandler(Map<String, Object> backendExtra) {
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", "web");
        backend.put("selector", Map.of("role", "web"));
        backend.put("port_tag", "port");
        backend.putAll(backendExtra);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("backends", List.of(backend));
        config.put("runtime_socket", haproxy.adminSocket.toString());
        config.put("config_file", haproxy.config.toString());
        config.put("haproxy_binary", HaproxyProcess.BINARY);
        config.put("reload", "master_socket:" + haproxy.masterSocket);
        config.put("hold_down", "0s");
        config.put("drain_timeout", "15s");
        config.put("reconcile_interval", "5s");
        Map<String, Object> handler = new LinkedHashMap<>();
        handler.put("name", "lb");
        handler.put("plugin", "haproxy");
        handler.put("events", "member-join,member-leave,member-failed,member-update,member-reap");
        handler.put("self_tags", Map.of("role", "lb"));
        handler.put("config", config);
        return handler;
    }

    private void awaitServers(String... names) throws Exception {
        Set<String> want = Set.of(names);
        Eventually.await(WAIT, "backend servers " + want + " (have " + haproxy.servers() + ", lb sees "
                + cluster.node("lb").view() + ")", () -> haproxy.servers().equals(want));
    }

    /** Requests through the frontend until every expected name answered; any other answer fails. */
    private void awaitResponders(Set<String> expected) throws Exception {
        Set<String> seen = new HashSet<>();
        Eventually.await(WAIT, "responses from " + expected + " (seen " + seen + ")", () -> {
            Http.Response r = Http.get(haproxy.frontendPort, "/");
            if (r.status() == 200) {
                seen.add(r.body());
            }
            return seen.containsAll(expected);
        });
        Routing.assertOnlyFrom(haproxy, expected, 2 * expected.size());
    }


}
