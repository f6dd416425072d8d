package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
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
import org.slf4j.event.Level;

/**
 * The serf web-load-balancer demo against a real HAProxy 2.6: members come and go, HAProxy's backend
 * follows through the runtime API, and the managed config block keeps the servers across reloads.
 */
class HaproxyHandlerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private HaproxyProcess haproxy;
    private TestContext context;
    private final Map<String, WebServer> web = new LinkedHashMap<>();
    private final List<EventHandler> handlers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        haproxy = new HaproxyProcess(tmp);
        context = new TestContext(tmp.resolve("data"));
        for (String name : List.of("web-1", "web-2", "web-3", "web-4")) {
            web.put(name, new WebServer(name));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (EventHandler h : handlers) {
            h.close();
        }
        web.values().forEach(WebServer::close);
        haproxy.close();
    }

    @Test
    void backendFollowsMembership() throws Exception {
        haproxy.start();
        for (String name : List.of("web-1", "web-2", "web-3")) {
            context.web(name, web.get(name).port());
        }
        context.put("db-1", 7946, MemberStatus.ALIVE, Map.of("role", "db", "port", "5432"));
        // A long interval: after the first pass, only member events (and drains) make it act.
        HaproxyHandler handler = start(settings(Map.of("check", true, "check_options", "inter 500ms"),
                Map.of("drain_timeout", "15s", "reconcile_interval", "1h")));

        awaitServers("web-1", "web-2", "web-3");
        awaitResponders(Set.of("web-1", "web-2", "web-3"));
        Routing.assertConfigServers(haproxy, web, "web-1", "web-2", "web-3");

        // web-2 fails: removed, and every request keeps succeeding on the others.
        handler.handle(new MemberEvent(EventType.MEMBER_FAILED, List.of(context.withStatus("web-2",
                MemberStatus.FAILED))));
        awaitServers("web-1", "web-3");
        awaitResponders(Set.of("web-1", "web-3"));
        Routing.assertConfigServers(haproxy, web, "web-1", "web-3");
        web.get("web-2").close();
        Routing.assertOnlyFrom(haproxy, Set.of("web-1", "web-3"), 12);

        // web-3 leaves while a request is in flight on it: drained (no new requests), removed once idle.
        WebServer w3 = web.get("web-3");
        List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
        while (w3.slowHeld() == 0) {
            assertTrue(slow.size() < 6, "roundrobin never sent a /slow request to web-3");
            int held = web.get("web-1").slowHeld() + w3.slowHeld();
            slow.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(haproxy.frontendPort, "/slow");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
            Eventually.await(WAIT, "the /slow request reaches a server",
                    () -> web.get("web-1").slowHeld() + w3.slowHeld() > held);
        }
        handler.handle(new MemberEvent(EventType.MEMBER_LEAVE, List.of(context.withStatus("web-3",
                MemberStatus.LEFT))));
        Eventually.await(WAIT, "web-3 in drain", () -> haproxy.serverStates().stream()
                .anyMatch(s -> s.name().equals("web-3") && s.inForcedDrain()));
        Routing.assertConfigServers(haproxy, web, "web-1");
        Routing.assertOnlyFrom(haproxy, Set.of("web-1"), 6);
        assertTrue(haproxy.servers().contains("web-3"), "web-3 must stay while its session is open");
        long released = System.nanoTime();
        w3.releaseSlow();
        web.get("web-1").releaseSlow();
        for (CompletableFuture<Http.Response> f : slow) {
            Http.Response r = f.get(10, TimeUnit.SECONDS);
            assertEquals(200, r.status(), "in-flight request during drain");
        }
        awaitServers("web-1");
        assertTrue(System.nanoTime() - released < TimeUnit.SECONDS.toNanos(10),
                "removed when idle, not only after drain_timeout");

        // web-4 joins: added.
        handler.handle(new MemberEvent(EventType.MEMBER_JOIN, List.of(context.web("web-4", web.get("web-4").port()))));
        awaitServers("web-1", "web-4");
        awaitResponders(Set.of("web-1", "web-4"));

        // web-1's role becomes db: removed.
        handler.handle(new MemberEvent(EventType.MEMBER_UPDATE, List.of(context.withTags("web-1",
                Map.of("role", "db", "port", Integer.toString(web.get("web-1").port()))))));
        awaitServers("web-4");
        Routing.assertOnlyFrom(haproxy, Set.of("web-4"), 6);
        Routing.assertConfigServers(haproxy, web, "web-4");

        // Replaying events changes nothing.
        String configBefore = Files.readString(haproxy.config);
        int actionsBefore = actionLines().size();
        long passes = handler.passesDone();
        handler.handle(new MemberEvent(EventType.MEMBER_JOIN, List.of(context.web("web-4", web.get("web-4").port()))));
        Eventually.await(WAIT, "a pass after the replay", () -> handler.passesDone() > passes);
        handler.handle(new MemberEvent(EventType.MEMBER_FAILED, List.of(context.withStatus("web-2",
                MemberStatus.FAILED))));
        Eventually.await(WAIT, "a second pass after the replay", () -> handler.passesDone() > passes + 1);
        assertEquals(configBefore, Files.readString(haproxy.config));
        assertEquals(Set.of("web-4"), haproxy.servers());
        assertEquals(actionsBefore, actionLines().size(), "replayed events must not add/remove anything: "
                + actionLines());
        assertTrue(context.log().find(Level.ERROR, "").isEmpty(), "no errors: " + context.log().find(Level.ERROR, ""));
    }

    @Test
    void serversSurviveReloads() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        context.web("web-2", web.get("web-2").port());
        HaproxyHandler first = start(settings(Map.of(), Map.of()));
        awaitServers("web-1", "web-2");
        first.close();

        // The handler is gone; HAProxy reloads (master CLI "reload"): the servers come back from the file.
        ReloadMethod.parse("reload", "master_socket:" + haproxy.masterSocket).reload(Duration.ofSeconds(5));
        awaitReloaded(1);
        assertEquals(Set.of("web-1", "web-2"), haproxy.servers());
        awaitResponders(Set.of("web-1", "web-2"));

        // The agent reloads (handler re-created) with changed membership: it converges from the new HAProxy.
        context.withStatus("web-2", MemberStatus.LEFT);
        context.web("web-3", web.get("web-3").port());
        HaproxyHandler second = start(settings(Map.of(), Map.of()));
        awaitServers("web-1", "web-3");
        Routing.assertConfigServers(haproxy, web, "web-1", "web-3");
        second.close();

        // Reload by SIGUSR2 to the master from the pid file: still web-1 and web-3.
        ReloadMethod.parse("reload", "pid_file:" + haproxy.pidFile).reload(Duration.ofSeconds(5));
        awaitReloaded(2);
        assertEquals(Set.of("web-1", "web-3"), haproxy.servers());
        awaitResponders(Set.of("web-1", "web-3"));
    }

    @Test
    void serverOptionChangeIsAppliedByReload() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        HaproxyHandler first = start(settings(Map.of(), Map.of()));
        awaitServers("web-1");
        first.close();
        // Same member, now with health checks: the runtime API can't change a server's options, so the
        // handler reloads HAProxy through the configured master socket.
        start(settings(Map.of("check", true), Map.of("reload", "master_socket:" + haproxy.masterSocket)));
        awaitReloaded(1);
        Routing.assertConfigServers(haproxy, web, "web-1");
        assertTrue(Files.readString(haproxy.config).contains(" check"), Files.readString(haproxy.config));
        awaitResponders(Set.of("web-1"));
    }

    @Test
    void invalidConfigIsNeverInstalled() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        context.web("web-2", web.get("web-2").port());
        HaproxyHandler good = start(settings(Map.of(), Map.of()));
        awaitServers("web-1", "web-2");
        awaitResponders(Set.of("web-1", "web-2")); // ready, not only listed: routing is asserted below
        good.close();
        String goodConfig = Files.readString(haproxy.config);

        // Re-created with a check option HAProxy rejects, while web-3 joins.
        context.web("web-3", web.get("web-3").port());
        HaproxyHandler bad = start(settings(Map.of("check", true, "check_options", "inter banana"), Map.of()));
        Eventually.await(WAIT, "validation failure logged",
                () -> !context.log().find(Level.ERROR, "failed validation").isEmpty());
        String logged = context.log().find(Level.ERROR, "failed validation").get(0);
        assertTrue(logged.contains("banana") || logged.contains("inter"), "HAProxy's own message is logged: "
                + logged);
        Eventually.await(WAIT, "runtime rejection logged",
                () -> !context.log().find(Level.ERROR, "HAProxy rejected 'add server web/web-3").isEmpty());
        assertEquals(goodConfig, Files.readString(haproxy.config), "the old config stays");
        assertTrue(Files.list(tmp).noneMatch(p -> p.getFileName().toString().endsWith(".rumor-tmp")),
                "temp file removed");
        assertEquals(Set.of("web-1", "web-2"), haproxy.servers());
        Routing.assertOnlyFrom(haproxy, Set.of("web-1", "web-2"), 8);
        // Still running and retrying: a later pass re-tries the add (and fails the same way).
        long passes = bad.passesDone();
        Eventually.await(WAIT, "another pass", () -> bad.passesDone() > passes);
        bad.close();

        // Fixed settings: web-3 is added.
        start(settings(Map.of("check", true, "check_options", "inter 1s"), Map.of()));
        awaitServers("web-1", "web-2", "web-3");
        Routing.assertConfigServers(haproxy, web, "web-1", "web-2", "web-3");
    }

    @Test
    void missingSocketIsReportedAndRetried() throws Exception {
        context.web("web-1", web.get("web-1").port());
        // HAProxy isn't running yet: the socket doesn't exist.
        start(settings(Map.of(), Map.of()));
        Eventually.await(WAIT, "missing socket logged",
                () -> !context.log().find(Level.ERROR, "socket does not exist").isEmpty());
        haproxy.start();
        // Backoff retries find it (the config was already written, so HAProxy may even start with web-1).
        awaitServers("web-1");
        awaitResponders(Set.of("web-1"));
    }

    @Test
    void holdDownDampsAFlappingMember() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        context.web("web-2", web.get("web-2").port());
        HaproxyHandler handler = start(settings(Map.of(), Map.of("hold_down", "1500ms", "reconcile_interval", "1h")));
        awaitServers("web-1", "web-2");

        // The damper stamps the change when the pass starts, which is after this instant.
        long failedAt = System.nanoTime();
        handler.handle(new MemberEvent(EventType.MEMBER_FAILED, List.of(context.withStatus("web-2",
                MemberStatus.FAILED))));
        awaitServers("web-1"); // the first change is immediate
        long passes = handler.passesDone();
        handler.handle(new MemberEvent(EventType.MEMBER_JOIN, List.of(context.withStatus("web-2",
                MemberStatus.ALIVE))));
        Eventually.await(WAIT, "a pass after the rejoin", () -> handler.passesDone() > passes);
        Set<String> during = haproxy.servers();
        if (System.nanoTime() - failedAt < TimeUnit.MILLISECONDS.toNanos(1500)) {
            assertEquals(Set.of("web-1"), during, "held down: not re-added at once");
        }
        // No further event: the handler wakes itself when the hold-down ends.
        awaitServers("web-1", "web-2");
        assertTrue(System.nanoTime() - failedAt >= TimeUnit.MILLISECONDS.toNanos(1500),
                "re-added only after hold_down");
    }

    @Test
    void drainTimeoutShutsDownLingeringSessions() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        HaproxyHandler handler = start(settings(Map.of(), Map.of("drain_timeout", "1s", "reconcile_interval", "1h")));
        awaitServers("web-1");
        // Listed is not routable yet: "add server" creates it in maintenance and the handler sets it ready with
        // a second command. A request in between gets HAProxy's 503 and never reaches web-1 (seen once in CI).
        awaitResponders(Set.of("web-1"));
        CompletableFuture<Http.Response> stuck = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.get(haproxy.frontendPort, "/slow");
            } catch (IOException e) {
                return new Http.Response(-1, e.toString());
            }
        });
        Eventually.await(WAIT, "the session is open", () -> web.get("web-1").slowHeld() == 1);
        long left = System.nanoTime();
        handler.handle(new MemberEvent(EventType.MEMBER_LEAVE, List.of(context.withStatus("web-1",
                MemberStatus.LEFT))));
        awaitServers();
        assertTrue(System.nanoTime() - left >= TimeUnit.MILLISECONDS.toNanos(900), "waited for drain_timeout");
        assertFalse(context.log().find(Level.WARN, "shutting them down").isEmpty(), context.log().lines().toString());
        Http.Response r = stuck.get(10, TimeUnit.SECONDS);
        assertTrue(r.status() != 200, "the lingering session was cut: " + r);
    }

    @Test
    void socketWithoutAdminLevelIsReported() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        HaproxyHandler handler = start(settings(Map.of(), Map.of("runtime_socket", haproxy.operatorSocket.toString())));
        Eventually.await(WAIT, "HAProxy's refusal logged",
                () -> !context.log().find(Level.ERROR, "Permission denied").isEmpty());
        long passes = handler.passesDone();
        Eventually.await(WAIT, "still running: a retry", () -> handler.passesDone() > passes);
        assertEquals(Set.of(), haproxy.servers());
    }

    @Test
    void tcpRuntimeSocket() throws Exception {
        haproxy.start();
        context.web("web-1", web.get("web-1").port());
        context.web("web-2", web.get("web-2").port());
        HaproxyHandler handler = start(settings(Map.of(), Map.of("runtime_socket", "tcp:127.0.0.1:" + haproxy.cliPort)));
        awaitServers("web-1", "web-2");
        awaitResponders(Set.of("web-1", "web-2"));
        handler.handle(new MemberEvent(EventType.MEMBER_FAILED, List.of(context.withStatus("web-1",
                MemberStatus.FAILED))));
        awaitServers("web-2");
        Routing.assertOnlyFrom(haproxy, Set.of("web-2"), 4);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private HaproxyHandler start(Map<String, Object> settings) {
        HaproxyHandler h = (HaproxyHandler) new HaproxyHandlerFactory().create(context, settings);
        handlers.add(h);
        return h;
    }

    private Map<String, Object> settings(Map<String, Object> backendExtra, Map<String, Object> extra) {
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", "web");
        backend.put("selector", Map.of("role", "web"));
        backend.put("port_tag", "port");
        backend.putAll(backendExtra);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("backends", List.of(backend));
        s.put("runtime_socket", haproxy.adminSocket.toString());
        s.put("config_file", haproxy.config.toString());
        s.put("haproxy_binary", HaproxyProcess.BINARY);
        s.put("hold_down", "0s");
        s.put("drain_timeout", "5s");
        s.put("reconcile_interval", "2s");
        s.putAll(extra);
        return s;
    }

    private void awaitServers(String... names) throws Exception {
        Set<String> want = Set.of(names);
        Eventually.await(WAIT, "backend servers " + want + " (have " + haproxy.servers() + ")",
                () -> haproxy.servers().equals(want));
    }

    /** Requests through the frontend until every expected name answered; any other answer fails. */
    private void awaitResponders(Set<String> expected) throws Exception {
        Set<String> seen = new HashSet<>();
        List<String> other = new ArrayList<>();
        Eventually.await(WAIT, "responses from " + expected + " (seen " + seen + ")", () -> {
            Http.Response r = Http.get(haproxy.frontendPort, "/");
            if (r.status() == 200) {
                if (expected.contains(r.body())) {
                    seen.add(r.body());
                } else {
                    other.add(r.body());
                }
            }
            return seen.equals(expected);
        });
        // Right after a removal the old server may answer once more; by now it must be gone.
        Routing.assertOnlyFrom(haproxy, expected, 2 * expected.size());
    }



    private void awaitReloaded(int count) throws Exception {
        Eventually.await(WAIT, "HAProxy reload #" + count + " done",
                () -> haproxy.reloads() >= count && haproxy.workers() == 1 && haproxy.cli("show version")
                        .contains("2."));
        assertFalse(haproxy.log().contains("[ALERT]") && haproxy.log().contains("Fatal errors"),
                haproxy.log());
    }

    private List<String> actionLines() {
        return context.log().lines().stream()
                .filter(l -> l.contains("added server") || l.contains("removed server") || l.contains("draining")
                        || l.contains("config") && l.contains("updated"))
                .toList();
    }
}
