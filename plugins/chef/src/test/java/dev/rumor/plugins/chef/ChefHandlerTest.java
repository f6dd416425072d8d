package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The chef handler end to end against the stand-in chef-client ({@link FakeChefClient}): real processes,
 * real flock locks, splay 0 except in the splay test.
 */
class ChefHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final List<ChefHandler> handlers = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final AtomicLong queryIds = new AtomicLong();

    @AfterEach
    void tearDown() {
        handlers.forEach(ChefHandler::close);
        processes.forEach(p -> ChefProcess.destroyTree(p.toHandle(), Duration.ofSeconds(2)));
    }

    // --- fixtures ------------------------------------------------------------------------------------

    /** A node: its context, its own stand-in (record + lock) and its handler. */
    private record Node(TestContext ctx, FakeChefClient chef, ChefHandler handler) {
        boolean runnerIdle() {
            return handler.runnerState() == ChefRunner.State.IDLE && !handler.runnerPending();
        }
    }

    private Node node(String name, Map<String, String> tags, double sleepSeconds, int exitCode,
                      Map<String, Object> overrides) {
        return node(name, tags, sleepSeconds, exitCode, overrides, Timing.system());
    }

    private Node node(String name, Map<String, String> tags, double sleepSeconds, int exitCode,
                      Map<String, Object> overrides, Timing timing) {
        FakeChefClient chef = new FakeChefClient(tmp.resolve(name).resolve("chef"));
        TestContext ctx = new TestContext(name, tags, tmp.resolve(name).resolve("data"));
        Map<String, Object> env = new LinkedHashMap<>(chef.env(sleepSeconds, exitCode));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", List.of(chef.script().toString(), "--once", "--no-fork"));
        config.put("splay", "0");
        config.put("timeout", "30s");
        config.put("lock_file", chef.lock().toString());
        config.put("kill_on_close", true);
        if (overrides.get("env") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> env.put((String) k, v));
        }
        config.putAll(overrides);
        config.put("env", env);
        ChefHandler h = new ChefHandler(ctx, ChefSettings.parse(config), timing);
        handlers.add(h);
        return new Node(ctx, chef, h);
    }

    private static UserEvent deploy(long ltime, String payload) {
        return new UserEvent(ltime, "deploy", payload.getBytes(StandardCharsets.UTF_8), false);
    }

    private QueryEvent statusQuery() {
        return new QueryEvent(100, queryIds.incrementAndGet(), "chef-status", new byte[0],
                Instant.now().plusSeconds(15));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private Map<String, Object> askStatus(Node n) {
        QueryEvent q = statusQuery();
        n.handler().handle(q);
        byte[] answer = n.ctx().response(q.id());
        assertNotNull(answer, "chef-status was answered");
        return asMap(Json.parse(new String(answer, StandardCharsets.UTF_8)));
    }

    // --- 1. tag selection --------------------------------------------------------------------------

    @Test
    void deployRunsOnlyOnNodesWhoseTagsMatchWithConfiguredArguments() throws Exception {
        Map<String, Object> cfg = Map.of(
                "self_tags", Map.of("role", "web"),
                "json_attributes", Map.of("app", Map.of("version", "1.2.3")),
                "env", Map.of("FAKE_CHEF_EXTRA", "hello"));
        Node web1 = node("web1", Map.of("role", "web", "dc", "a"), 0, 0, cfg);
        Node web2 = node("web2", Map.of("role", "web"), 0, 0, cfg);
        Node db1 = node("db1", Map.of("role", "db"), 0, 0, cfg);

        for (Node n : List.of(web1, web2, db1)) {
            n.handler().handle(deploy(7, ""));
        }
        for (Node n : List.of(web1, web2)) {
            Eventually.await(n.ctx().instanceName() + " result", WAIT, () -> n.handler().lastRun() != null);
            Eventually.await(n.ctx().instanceName() + " idle", WAIT, n::runnerIdle);

            List<FakeChefClient.Run> runs = n.chef().runs();
            assertEquals(1, runs.size(), "exactly one run on " + n.ctx().instanceName());
            Path attrs = n.ctx().dataDirectory().resolve(ChefHandler.ATTRIBUTES_FILE);
            assertEquals(List.of("--once", "--no-fork", "-j", attrs.toString()), runs.get(0).args());
            assertEquals(Map.of("app", Map.of("version", "1.2.3")), Json.parse(Files.readString(attrs)));

            Map<String, String> env = runs.get(0).env();
            assertEquals("deploy", env.get("SERF_USER_EVENT"));
            assertEquals("7", env.get("SERF_USER_LTIME"));
            assertEquals("user", env.get("SERF_EVENT"));
            assertEquals(n.ctx().self().name(), env.get("SERF_SELF_NAME"));
            assertEquals("web", env.get("SERF_SELF_ROLE"));
            assertEquals("web", env.get("SERF_TAG_ROLE"));
            assertEquals("hello", env.get("FAKE_CHEF_EXTRA"));

            Map<String, Object> last = n.handler().lastRun();
            assertEquals(true, last.get("success"));
            assertEquals(0L, ((Number) last.get("exit_code")).longValue());
            assertEquals(7L, ((Number) last.get("ltime")).longValue());
        }
        assertNull(db1.handler().lastRun(), "db1 does not match role=web");
        assertFalse(Files.exists(db1.chef().record()), "the stand-in never ran on db1");

        // An event outside `events` is ignored synchronously: nothing queued, nothing started.
        web1.handler().handle(new UserEvent(8, "restart", new byte[0], false));
        assertTrue(web1.runnerIdle());
        // Tags are read at event time: db1 becomes a web node and then reacts.
        db1.ctx().setTags(Map.of("role", "web"));
        db1.handler().handle(deploy(9, ""));
        Eventually.await("db1 result", WAIT, () -> db1.handler().lastRun() != null);
        assertEquals(1, db1.chef().runs().size());
        assertEquals(1, web1.chef().runs().size());
    }

    // --- 2. single flight + coalescing ---------------------------------------------------------------

    @Test
    void triggersDuringARunCoalesceIntoExactlyOneFollowUpAndRunsNeverOverlap() {
        // Each run takes 2s, so the five triggers and the status query certainly land during the first one.
        Node n = node("web1", Map.of("role", "web"), 2.0, 0, Map.of());

        n.handler().handle(deploy(1, ""));
        Eventually.await("first run started", WAIT, () -> n.chef().runs().size() == 1);
        for (int i = 2; i <= 6; i++) {
            n.handler().handle(deploy(i, ""));
        }
        assertEquals("running", askStatus(n).get("state"), "the query is answered while chef runs");
        assertEquals(true, askStatus(n).get("pending"));

        Eventually.await("follow-up run finished", WAIT, () -> n.handler().lastRun() != null
                && ((Number) n.handler().lastRun().get("ltime")).longValue() == 6);
        Eventually.await("idle", WAIT, n::runnerIdle);

        List<FakeChefClient.Run> runs = n.chef().runs();
        assertEquals(2, runs.size(), "one run plus exactly one follow-up: " + runs);
        assertTrue(runs.get(0).end() > 0 && runs.get(1).end() > 0);
        assertTrue(runs.get(0).end() <= runs.get(1).start(), "runs overlap: " + runs);
        assertEquals(0, n.chef().busyCount(), "the stand-in never found its lock busy");
        assertEquals(5L, ((Number) n.handler().lastRun().get("triggers")).longValue());
        assertEquals(2L, ((Number) askStatus(n).get("runs")).longValue());
    }

    // --- 3. payload safety ----------------------------------------------------------------------------

    @Test
    void injectionAndDisallowedRunListsAreRefusedAndNothingRuns() throws Exception {
        Node n = node("web1", Map.of("role", "web"), 0, 0, Map.of("run_list_from_payload", true));
        Path marker = tmp.resolve("pwned");
        List<String> payloads = List.of(
                "recipe[app::deploy]; rm -rf /",
                "$(touch " + marker + ")",
                "recipe[app::deploy]$(touch " + marker + ")",
                "`touch " + marker + "`",
                "recipe[app`id`]",
                "recipe[app::deploy] && reboot",
                "recipe[app::deploy]|sh",
                "run_list=recipe[app::deploy];rm -rf /",
                "env=prod run_list=recipe[a] run_list=recipe[b]",
                "recipe[app::deploy],cookbook[evil]",
                "role[web],recipe[../../../tmp/x y]",
                "--help",
                "recipe[app::deploy]\n-j /etc/shadow",
                "");
        // The empty payload is fine (node's own run-list); everything else is refused.
        List<String> bad = payloads.subList(0, payloads.size() - 1);
        for (String p : bad) {
            n.handler().handle(deploy(1, p));
            assertTrue(n.runnerIdle(), "nothing queued for " + p);
        }
        assertEquals(bad.size(), n.ctx().log().count(Level.WARN, "refused deploy"));
        assertEquals((long) bad.size(), ((Number) askStatus(n).get("refused")).longValue());
        assertFalse(Files.exists(n.chef().record()), "the stand-in never ran");
        assertFalse(Files.exists(marker), "no injected command ran");
        assertNull(n.handler().lastRun());

        // The same node does run an allowed override, as separate argv elements.
        n.handler().handle(deploy(2, "recipe[app::deploy],role[web]"));
        Eventually.await("allowed run", WAIT, () -> n.handler().lastRun() != null);
        List<FakeChefClient.Run> runs = n.chef().runs();
        assertEquals(1, runs.size());
        assertEquals(List.of("--once", "--no-fork", "-o", "recipe[app::deploy],role[web]"), runs.get(0).args());
        assertEquals("recipe[app::deploy],role[web]", runs.get(0).env().get("RUMOR_CHEF_RUN_LIST"));
        assertFalse(Files.exists(marker));
    }

    @Test
    void payloadFilterSelectsTheEnvironment() {
        Node n = node("web1", Map.of(), 0, 0, Map.of("payload_filter", List.of("prod", "/prod-eu-\\d+/")));
        n.handler().handle(deploy(1, "staging"));
        n.handler().handle(deploy(2, "prod; rm -rf /"));
        n.handler().handle(deploy(3, "env=staging"));
        assertTrue(n.runnerIdle());
        assertFalse(Files.exists(n.chef().record()));
        n.handler().handle(deploy(4, "env=prod-eu-2 version=42"));
        Eventually.await("prod-eu-2 run", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(1, n.chef().runs().size());
        assertEquals(3, n.ctx().log().count(Level.INFO, "not for this node"));
    }

    // --- 4. timeout, reboot pending, status query -------------------------------------------------------

    @Test
    void hangingRunIsKilledWithItsProcessTreeAtItsTimeout() {
        Node n = node("web1", Map.of(), 60, 0, Map.of("timeout", "3s", "kill_grace", "2s"));
        n.handler().handle(deploy(3, ""));
        Eventually.await("run started", WAIT, () -> n.chef().runs().size() == 1 && n.chef().runs().get(0).childPid() > 0);
        FakeChefClient.Run run = n.chef().runs().get(0);
        Eventually.await("timed-out result", WAIT, () -> n.handler().lastRun() != null);

        Map<String, Object> last = n.handler().lastRun();
        assertEquals(true, last.get("timed_out"));
        assertEquals(false, last.get("success"));
        assertNull(last.get("exit_code"));
        long ms = ((Number) last.get("duration_ms")).longValue();
        assertTrue(ms >= 3_000 && ms < 12_000, "killed at its timeout: " + last);
        assertEquals(-1, run.end(), "the stand-in never reached its end");
        Eventually.await("stand-in and its child dead", Duration.ofSeconds(5),
                () -> !alive(run.pid()) && !alive(run.childPid()));
        assertEquals(1, n.ctx().log().count(Level.WARN, "killed after its timeout"));
        assertEquals(true, asMap(askStatus(n).get("last_run")).get("timed_out"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void exit37IsSuccessWithRebootPendingAndTheStatusQueryReturnsTheLastResult() throws Exception {
        Node n = node("web1", Map.of(), 0, 37, Map.of("env", Map.of("FAKE_CHEF_LINES", "30")));
        assertNull(askStatus(n).get("last_run"), "never ran yet");

        n.handler().handle(deploy(11, ""));
        Eventually.await("result", WAIT, () -> n.handler().lastRun() != null);
        Map<String, Object> last = n.handler().lastRun();
        assertEquals(true, last.get("success"));
        assertEquals(true, last.get("reboot_pending"));
        assertEquals(false, last.get("timed_out"));
        assertEquals(37L, ((Number) last.get("exit_code")).longValue());
        List<?> output = (List<?>) last.get("output");
        assertEquals(20, output.size(), "the last 20 lines are kept");
        assertEquals("Chef Infra Client finished, exit 37", output.get(output.size() - 1));

        Eventually.await("idle", WAIT, n::runnerIdle);
        QueryEvent q = statusQuery();
        n.handler().handle(q);
        byte[] raw = n.ctx().response(q.id());
        assertTrue(raw.length <= 900, "fits the default status_max_bytes: " + raw.length);
        Map<String, Object> status = asMap(Json.parse(new String(raw, StandardCharsets.UTF_8)));
        assertEquals("web1", status.get("node"));
        assertEquals("idle", status.get("state"));
        Map<String, Object> lastRun = asMap(status.get("last_run"));
        assertEquals(37L, ((Number) lastRun.get("exit_code")).longValue());
        assertEquals(true, lastRun.get("reboot_pending"));
        assertEquals(11L, ((Number) lastRun.get("ltime")).longValue());
        List<?> shown = (List<?>) lastRun.get("output");
        assertEquals("Chef Infra Client finished, exit 37", shown.get(shown.size() - 1), "newest lines kept");

        // Persisted: a new instance (agent restart) answers with the same result.
        Map<String, Object> persisted = asMap(Json.parse(Files.readString(
                n.ctx().dataDirectory().resolve(ChefHandler.RESULT_FILE))));
        assertEquals(last, persisted);
        ChefHandler restarted = new ChefHandler(n.ctx(), ChefSettings.parse(Map.of("lock_file", "")), Timing.system());
        handlers.add(restarted);
        assertEquals(last, restarted.lastRun());
    }

    @Test
    void nonZeroExitIsAFailure() {
        Node n = node("web1", Map.of(), 0, 1, Map.of());
        n.handler().handle(deploy(1, ""));
        Eventually.await("result", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(false, n.handler().lastRun().get("success"));
        assertEquals(false, n.handler().lastRun().get("reboot_pending"));
        assertEquals(1L, ((Number) n.handler().lastRun().get("exit_code")).longValue());
        assertEquals(1, n.ctx().log().count(Level.WARN, "failed with exit code 1"));
    }

    @Test
    void missingExecutableIsReportedNotThrown() {
        Node n = node("web1", Map.of(), 0, 0, Map.of("command", List.of(tmp.resolve("no-such-chef").toString())));
        n.handler().handle(deploy(1, ""));
        Eventually.await("result", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(false, n.handler().lastRun().get("success"));
        assertTrue(String.valueOf(n.handler().lastRun().get("error")).startsWith("could not start"));
    }

    @Test
    void closeKillsARunInProgressOnlyWithKillOnClose() {
        Node killing = node("web1", Map.of(), 60, 0, Map.of("kill_grace", "2s"));
        Node leaving = node("web2", Map.of(), 60, 0, Map.of("kill_on_close", false));
        for (Node n : List.of(killing, leaving)) {
            n.handler().handle(deploy(1, ""));
            Eventually.await("run started", WAIT, () -> n.chef().runs().size() == 1 && n.chef().runs().get(0).childPid() > 0);
        }
        FakeChefClient.Run killed = killing.chef().runs().get(0);
        FakeChefClient.Run left = leaving.chef().runs().get(0);
        try {
            killing.handler().close();
            leaving.handler().close();
            Eventually.await("killed on close", Duration.ofSeconds(10),
                    () -> !alive(killed.pid()) && !alive(killed.childPid()));
            assertTrue(alive(left.pid()), "without kill_on_close a started chef-client finishes on its own");
        } finally {
            ProcessHandle.of(left.pid()).ifPresent(h -> ChefProcess.destroyTree(h, Duration.ofSeconds(2)));
        }
    }

    // --- chef's run lock ------------------------------------------------------------------------------

    @Test
    void waitsWhileAnotherChefRunHoldsTheLockThenRuns() throws Exception {
        Node n = node("web1", Map.of(), 0, 0, Map.of("lock_poll", "100ms"));
        Process cron = holdLock(n.chef().lock());

        n.handler().handle(deploy(1, ""));
        Eventually.await("waiting for lock", WAIT, () -> n.handler().runnerState() == ChefRunner.State.WAITING_FOR_LOCK);
        n.handler().handle(deploy(2, ""));
        assertFalse(Files.exists(n.chef().record()), "not started while the lock is held");
        assertEquals("waiting-for-lock", askStatus(n).get("state"));

        ChefProcess.destroyTree(cron.toHandle(), Duration.ofSeconds(2));
        Eventually.await("run after release", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(1, n.chef().runs().size(), "both triggers served by one run");
        assertEquals(2L, ((Number) n.handler().lastRun().get("triggers")).longValue());
        assertEquals(0, n.chef().busyCount());
    }

    @Test
    void givesUpAfterLockWait() throws Exception {
        Node n = node("web1", Map.of(), 0, 0, Map.of("lock_poll", "50ms", "lock_wait", "300ms"));
        holdLock(n.chef().lock());
        n.handler().handle(deploy(1, ""));
        Eventually.await("gave up", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(false, n.handler().lastRun().get("success"));
        assertTrue(String.valueOf(n.handler().lastRun().get("error")).contains("still held"));
        assertFalse(Files.exists(n.chef().record()));
    }

    /** Simulates a cron chef-client: flock(1) holds chef's lock as chef's File#flock would. */
    private Process holdLock(Path lock) throws Exception {
        Process p = new ProcessBuilder("flock", lock.toString(), "sleep", "60").start();
        processes.add(p);
        ChefRunLock probe = new ChefRunLock(lock);
        Eventually.await("lock held", WAIT, () -> probe.holder() != null);
        return p;
    }

    // --- splay ----------------------------------------------------------------------------------------

    @Test
    void splayDelaysEachRunByAtMostTheConfiguredBound() {
        List<Duration> slept = new CopyOnWriteArrayList<>();
        Timing timing = new Timing(java.time.Clock.systemUTC(), System::nanoTime, slept::add, new Random(7));
        Node n = node("web1", Map.of(), 0, 0, Map.of("splay", "30s"), timing);
        n.handler().handle(deploy(1, ""));
        Eventually.await("result", WAIT, () -> n.handler().lastRun() != null);
        assertEquals(1, slept.size());
        assertTrue(!slept.get(0).isNegative() && slept.get(0).compareTo(Duration.ofSeconds(30)) <= 0, slept.toString());
        assertEquals(1, n.chef().runs().size());

        Duration min = Duration.ofDays(1);
        Duration max = Duration.ZERO;
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            Duration d = Timing.splay(Duration.ofSeconds(30), r);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(30)) <= 0, d.toString());
            min = d.compareTo(min) < 0 ? d : min;
            max = d.compareTo(max) > 0 ? d : max;
        }
        assertTrue(min.toMillis() < 100 && max.toMillis() > 29_900, "spread over [0, 30s]: " + min + ".." + max);
        assertEquals(Duration.ZERO, Timing.splay(Duration.ZERO, r));
    }
}
