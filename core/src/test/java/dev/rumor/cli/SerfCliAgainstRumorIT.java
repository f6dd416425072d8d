package dev.rumor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rumor.rpc.IpcCodec;
import dev.rumor.rpc.RpcClient;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorAgent;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code serf} CLI against a Rumor agent (issue 4, "what must be shown" 1). A mixed, encrypted
 * cluster — Rumor agent {@code rumor1} and serf agents {@code serfa1}, {@code serfb2} — and every command run
 * twice, once with {@code -rpc-addr} of the Rumor agent and once with that of the serf agent {@code serfa1},
 * which is in the symmetric position (same tags, same peers). The outputs must be equal, modulo the asking
 * agent's own name, measured times, and line order where serf's own order is Go map order.
 *
 * <p>The Rumor agent runs as its own process ({@code rumor agent ...}), as an operator runs it, so
 * {@code monitor} sees its real console log and {@code leave} ends the process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SerfCliAgainstRumorIT {
    private static final String KEY1 = "ETCsssnlVeU7yB6V3tB3f4OjtaXu/1y2OrkaVf81sps=";
    private static final String KEY2 = "Xx+3W+idzBgIo1VJFfhTpuiYIiNhraPMvwKvmuvpeOo=";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOG_LINE = Pattern.compile(
            "^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[(TRACE|DEBUG|INFO|WARN|ERR)\\] [a-z.]+: .+$");

    private Path dir;
    private RumorAgent rumor;
    private SerfAgent serf;
    private SerfAgent peer;
    private final List<RpcClient> responders = new ArrayList<>();
    private final ExecutorService respond = Executors.newSingleThreadExecutor();
    private String currentKey = KEY1;

    @BeforeAll
    void startCluster(@TempDir Path tmp) {
        dir = tmp;
        // Names of equal length: the asking agent's name is masked in some outputs, alignment must not move.
        serf = SerfAgent.builder("serfa1", dir).encrypt(KEY1).tag("role", "web").logLevel("info").start();
        rumor = RumorAgent.builder("rumor1", dir).encrypt(KEY1).tag("role", "web").logLevel("info")
                .join(serf.gossipAddress()).start();
        peer = SerfAgent.builder("serfb2", dir).encrypt(KEY1).tag("role", "db").logLevel("info")
                .join(serf.gossipAddress()).start();
        Eventually.await(WAIT, () -> allAlive(serf, 3) && allAlive(peer, 3) && rumorSeesAlive(3),
                () -> "cluster did not form: " + serf.cli("members").output() + "\n" + rumor.cli("members").output());
    }

    @AfterAll
    void stopCluster() {
        responders.forEach(RpcClient::close);
        respond.shutdownNow();
        for (AutoCloseable a : new AutoCloseable[] {peer, rumor, serf}) {
            try {
                if (a != null) {
                    a.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static boolean allAlive(SerfAgent a, int n) {
        try {
            return a.members().stream().filter(m -> m.isAlive()).count() == n;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean rumorSeesAlive(int n) {
        CliResult r = rumor.cli("members", "-status=alive");
        return r.ok() && r.output().strip().lines().count() == n;
    }

    // ------------------------------------------------------------------ comparison helpers

    /** The same serf command against the Rumor agent and the serf agent, concurrently. */
    private CliResult[] both(String... args) {
        CompletableFuture<CliResult> r = CompletableFuture.supplyAsync(() -> rumor.cli(args));
        CompletableFuture<CliResult> s = CompletableFuture.supplyAsync(() -> serf.cli(args));
        return new CliResult[] {r.join(), s.join()};
    }

    /** Masks the asking agent's own name, so "X <-> rumor1" and "X <-> serfa1" compare equal. */
    private UnaryOperator<String> maskSelf(boolean rumorSide) {
        String self = rumorSide ? rumor.name() : serf.name();
        return s -> s.replace(self, "SELF");
    }

    private void assertSameOutput(boolean sortLines, String... args) {
        assertSameOutput(sortLines, UnaryOperator.identity(), args);
    }

    private void assertSameOutput(boolean sortLines, UnaryOperator<String> normalize, String... args) {
        CliResult[] rs = both(args);
        compare(rs[0], rs[1], sortLines, normalize, args);
    }

    private static void compare(CliResult ours, CliResult theirs, boolean sortLines, UnaryOperator<String> normalize,
            String... args) {
        String what = "serf " + String.join(" ", args) + "\nagainst rumor:\n" + ours.output() + "\nagainst serf:\n"
                + theirs.output();
        assertEquals(theirs.exitCode(), ours.exitCode(), "exit code of " + what);
        String a = normalize.apply(ours.output());
        String b = normalize.apply(theirs.output());
        if (sortLines) {
            assertEquals(sortedLines(b), sortedLines(a), what);
        } else {
            assertEquals(b.strip(), a.strip(), what);
        }
    }

    /** Lines sorted, and tag lists ("b=2,a=1", Go map order in serf) sorted within each line. */
    static List<String> sortedLines(String s) {
        // columnize pads an empty last column on every line but the last: which line is last is map order
        return s.strip().lines().map(String::stripTrailing).map(SerfCliAgainstRumorIT::sortTagLists).sorted()
                .collect(Collectors.toList());
    }

    private static String sortTagLists(String line) {
        return Arrays.stream(line.split("(?<=\\s)|(?=\\s)"))
                .map(tok -> tok.contains("=") && tok.contains(",")
                        ? Arrays.stream(tok.split(",")).sorted().collect(Collectors.joining(",")) : tok)
                .collect(Collectors.joining());
    }

    /** serf's members JSON with the member array sorted by name (serf prints it in map order). */
    private static JsonNode membersJson(String out) throws IOException {
        JsonNode root = JSON.readTree(out);
        List<JsonNode> ms = new ArrayList<>();
        root.path("members").forEach(ms::add);
        ms.sort(Comparator.comparing(m -> m.path("name").asText()));
        ArrayNode sorted = JSON.createArrayNode();
        ms.forEach(sorted::add);
        ((ObjectNode) root).set("members", sorted);
        return root;
    }

    // ------------------------------------------------------------------ members, info

    @Test
    @Order(1)
    void membersInEveryFormatAndFilter() throws IOException {
        assertSameOutput(true, "members");
        assertSameOutput(true, "members", "-detailed");
        assertSameOutput(true, "members", "-status=alive");
        assertSameOutput(false, "members", "-status=failed");
        assertSameOutput(true, "members", "-tag", "role=web");
        assertSameOutput(true, "members", "-tag", "role=w.*", "-status=alive", "-detailed");
        assertSameOutput(true, "members", "-tag", "role=db|web");
        assertSameOutput(true, "members", "-name=serf.*");
        assertSameOutput(false, "members", "-name=nobody");
        assertSameOutput(false, "members", "-format=xml");
        assertSameOutput(true, "members", "-role=db");

        CliResult[] json = both("members", "-format=json");
        assertEquals(0, json[0].exitCode(), json[0].output());
        assertEquals(membersJson(json[1].output()), membersJson(json[0].output()));
        // the document's layout (2-space indent, field order) is serf's, not just its content
        assertEquals(json[1].output().lines().count(), json[0].output().lines().count());
        CliResult[] none = both("members", "-format=json", "-name=nobody");
        compare(none[0], none[1], false, UnaryOperator.identity(), "members", "-format=json", "-name=nobody");
    }

    @Test
    @Order(2)
    void infoHasSerfsSectionsAndKeys() throws IOException {
        CliResult[] rs = both("info", "-format=json");
        assertEquals(0, rs[0].exitCode(), rs[0].output());
        JsonNode ours = JSON.readTree(rs[0].output());
        JsonNode theirs = JSON.readTree(rs[1].output());
        Set<String> extra = new TreeSet<>(fieldNames(ours));
        extra.removeAll(fieldNames(theirs));
        assertTrue(Set.of("plugins").containsAll(extra), "sections serf does not print: " + extra);
        assertTrue(fieldNames(ours).containsAll(fieldNames(theirs)), "sections: " + fieldNames(ours));
        for (String section : List.of("agent", "runtime", "serf", "tags")) {
            assertEquals(fieldNames(theirs.path(section)), fieldNames(ours.path(section)), "keys of " + section);
        }
        assertEquals(rumor.name(), ours.path("agent").path("name").asText());
        assertEquals(theirs.path("tags"), ours.path("tags"));
        for (String key : List.of("members", "failed", "left", "encrypted", "health_score", "coordinate_resets")) {
            assertEquals(theirs.path("serf").path(key), ours.path("serf").path(key), "serf." + key);
        }
        assertEquals("true", ours.path("serf").path("encrypted").asText());
        // text form: the same section headers and "\tkey = value" lines for the shared sections
        CliResult[] text = both("info");
        List<String> ourLines = text[0].output().lines().filter(l -> !l.startsWith("\t")).toList();
        List<String> theirLines = text[1].output().lines().filter(l -> !l.startsWith("\t")).toList();
        assertEquals(theirLines, ourLines.stream().filter(l -> !l.equals("plugins:")).toList());
        assertTrue(text[0].output().contains("\tname = rumor1\n"), text[0].output());
        assertTrue(text[0].output().contains("\trole = web\n"), text[0].output());
        assertSameOutput(false, "info", "-format=xml");
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ------------------------------------------------------------------ events and queries

    @Test
    @Order(3)
    void eventDispatch() {
        assertSameOutput(false, "event", "deploy", "v1");
        assertSameOutput(false, "event", "-coalesce=false", "deploy", "v2");
        assertSameOutput(false, "event", "nopayload");
        assertSameOutput(false, "event");
        assertSameOutput(false, "event", "a", "b", "c");
        assertSameOutput(false, "event", "big", "x".repeat(600));
    }

    /** Both answering agents respond to every query over RPC ({@code stream} + {@code respond}), as a handler would. */
    private void startResponders() throws Exception {
        if (!responders.isEmpty()) {
            return;
        }
        for (String[] a : new String[][] {{rumor.name(), rumor.rpcAddress()}, {serf.name(), serf.rpcAddress()}}) {
            RpcClient c = RpcClient.connect(a[1], "", Duration.ofSeconds(10));
            responders.add(c);
            String self = a[0];
            c.stream("query", rec -> {
                long id = IpcCodec.num(rec, "ID");
                String reply = "resp-from-" + self + ":" + IpcCodec.str(rec, "Name") + "\n";
                respond.execute(() -> {
                    try {
                        c.respond(id, reply.getBytes(StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        // the query may be over; the comparison will show a missing response
                    }
                });
            });
        }
    }

    @Test
    @Order(4)
    void queryAcksResponsesFiltersAndJson() throws Exception {
        startResponders();
        assertSameOutput(true, "query", "-timeout=3s", "ping-me", "hello");
        assertSameOutput(true, "query", "-timeout=3s", "-node", "rumor1", "-node", "serfb2", "ping-me");
        assertSameOutput(true, "query", "-timeout=3s", "-tag", "role=web", "-no-ack", "ping-me");
        assertSameOutput(true, "query", "-timeout=3s", "-tag", "role=nothing", "ping-me");

        CliResult[] json = both("query", "-timeout=3s", "-format=json", "ping-me", "p");
        assertEquals(0, json[0].exitCode(), json[0].output());
        JsonNode ours = JSON.readTree(json[0].output());
        JsonNode theirs = JSON.readTree(json[1].output());
        assertEquals(sortedTexts(theirs.path("Acks")), sortedTexts(ours.path("Acks")));
        assertEquals(3, ours.path("Acks").size(), json[0].output());
        assertEquals(theirs.path("Responses"), ours.path("Responses"));
        assertEquals("resp-from-rumor1:ping-me\n", ours.path("Responses").path("rumor1").asText());

        assertSameOutput(false, "query", "-relay-factor=300", "x");
        assertSameOutput(false, "query", "-format=xml", "x");
        assertSameOutput(false, "query", "_serf_x");
        assertSameOutput(false, "query");
    }

    private static List<String> sortedTexts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------ rtt, reachability

    @Test
    @Order(5)
    void rttAndReachability() {
        Eventually.await(WAIT, () -> rumor.cli("rtt", "serfb2").ok() && serf.cli("rtt", "serfb2").ok(),
                () -> "no coordinates yet: " + rumor.cli("rtt", "serfb2").output());
        UnaryOperator<String> rtt = s -> s.replaceAll("rtt: \\d+\\.\\d{3} ms", "rtt: N ms");
        CliResult[] one = both("rtt", "serfb2");
        compare(one[0], one[1], false, s -> rtt.apply(maskSelf(true).apply(maskSelf(false).apply(s))), "rtt", "serfb2");
        assertTrue(one[0].output().strip().matches("Estimated serfb2 <-> rumor1 rtt: \\d+\\.\\d{3} ms"), one[0].output());
        assertSameOutput(false, rtt, "rtt", "serfa1", "serfb2");
        assertSameOutput(false, "rtt", "nosuchnode", "serfb2");
        assertSameOutput(false, "rtt");

        assertSameOutput(false, "reachability");
        UnaryOperator<String> times = s -> s.replaceAll("\\d+\\.\\d+ sec", "N sec");
        assertSameOutput(true, times, "reachability", "-verbose");
    }

    // ------------------------------------------------------------------ monitor

    @Test
    @Order(6)
    void monitorStreamsLogAndEvents() throws Exception {
        Path ourOut = dir.resolve("monitor-rumor.out");
        Path theirOut = dir.resolve("monitor-serf.out");
        Process ours = new ProcessBuilder(SerfAgent.SERF, "monitor", "-rpc-addr=" + rumor.rpcAddress())
                .redirectErrorStream(true).redirectOutput(ourOut.toFile()).start();
        Process theirs = new ProcessBuilder(SerfAgent.SERF, "monitor", "-rpc-addr=" + serf.rpcAddress())
                .redirectErrorStream(true).redirectOutput(theirOut.toFile()).start();
        try {
            // the recent history comes first: log lines appear at once, in serf's shape, at INFO and above
            Eventually.await(WAIT, () -> logLines(ourOut).size() > 0, () -> "monitor printed: " + read(ourOut));
            CliResult ev = peer.cli("event", "-coalesce=false", "monev", "pp");
            assertTrue(ev.ok(), ev.output());
            Eventually.await(WAIT, () -> read(ourOut).contains("Name: \"monev\"") && read(theirOut).contains("Name: \"monev\""),
                    () -> "rumor monitor:\n" + read(ourOut) + "\nserf monitor:\n" + read(theirOut));
            assertEquals(eventInfo(read(theirOut), "monev"), eventInfo(read(ourOut), "monev"));
            List<String> levels = logLines(ourOut).stream().map(l -> l.replaceAll("^.*?\\[(\\w+)\\].*$", "$1")).distinct().toList();
            assertTrue(levels.stream().noneMatch(l -> l.equals("DEBUG") || l.equals("TRACE")), "levels: " + levels);
            assertTrue(ours.isAlive() && theirs.isAlive(), "a monitor ended by itself:\n" + read(ourOut));
        } finally {
            ours.destroy();
            theirs.destroy();
            ours.waitFor();
            theirs.waitFor();
        }
        // the agent dropped the monitor and keeps answering
        assertTrue(rumor.cli("members").ok());

        // -log-level=debug: DEBUG lines too; and the RPC server notes each CLI connection as serf does
        Path ourDebug = dir.resolve("monitor-debug-rumor.out");
        Path theirDebug = dir.resolve("monitor-debug-serf.out");
        Process ourD = new ProcessBuilder(SerfAgent.SERF, "monitor", "-log-level=debug", "-rpc-addr=" + rumor.rpcAddress())
                .redirectErrorStream(true).redirectOutput(ourDebug.toFile()).start();
        Process theirD = new ProcessBuilder(SerfAgent.SERF, "monitor", "-log-level=debug", "-rpc-addr=" + serf.rpcAddress())
                .redirectErrorStream(true).redirectOutput(theirDebug.toFile()).start();
        try {
            Pattern accepted = Pattern.compile("(?m)^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[INFO\\] agent\\.ipc: "
                    + "Accepted client: 127\\.0\\.0\\.1:\\d+$");
            Pattern debug = Pattern.compile("(?m)^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[DEBUG\\] [a-z.]+: .+$");
            Eventually.await(WAIT, () -> {
                both("members");
                return accepted.matcher(read(ourDebug)).find() && accepted.matcher(read(theirDebug)).find()
                        && debug.matcher(read(ourDebug)).find() && debug.matcher(read(theirDebug)).find();
            }, () -> "rumor monitor:\n" + read(ourDebug) + "\nserf monitor:\n" + read(theirDebug));
        } finally {
            ourD.destroy();
            theirD.destroy();
            ourD.waitFor();
            theirD.waitFor();
        }
        // monitor with a level: -log-level=debug is accepted and a bad level is refused as serf refuses it
        CliResult[] bad = both("monitor", "-log-level=nope");
        compare(bad[0], bad[1], false, UnaryOperator.identity(), "monitor", "-log-level=nope");
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> logLines(Path f) {
        return read(f).lines().filter(l -> LOG_LINE.matcher(l).matches()).toList();
    }

    /** The tab-indented lines of the "Event Info:" block of the named user event, sorted (Go map order). */
    private static List<String> eventInfo(String out, String name) {
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("Event Info:")) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("\t"); j++) {
                block.add(lines.get(j));
            }
            if (block.contains("\tName: \"" + name + "\"")) {
                block.sort(null);
                return block;
            }
        }
        return List.of();
    }

    // ------------------------------------------------------------------ tags, keys

    @Test
    @Order(7)
    void tagsSetAndDelete() {
        assertSameOutput(false, "tags", "-set", "zone=z1", "-set", "tier=1", "-delete", "role");
        Eventually.await(WAIT, () -> peer.member("rumor1").map(m -> m.tags().equals(java.util.Map.of("zone", "z1", "tier", "1")))
                        .orElse(false) && peer.member("serfa1").map(m -> m.tags().equals(java.util.Map.of("zone", "z1", "tier", "1")))
                        .orElse(false),
                () -> "peer sees " + peer.members());
        assertSameOutput(true, "members");
        assertSameOutput(false, "tags", "-delete", "tier");
        assertSameOutput(false, "tags");
        assertSameOutput(false, "tags", "-set", "novalue");
        Eventually.await(WAIT, () -> peer.member("rumor1").map(m -> m.tags().equals(java.util.Map.of("zone", "z1")))
                .orElse(false), () -> "peer sees " + peer.members());
    }

    @Test
    @Order(8)
    void keyRotationOnAnEncryptedCluster() {
        assertSameOutput(true, "keys", "-list");
        assertTrue(rumor.cli("keys", "-list").output().contains(KEY1 + "  [3/3]"), rumor.cli("keys", "-list").output());
        // each command twice (via rumor, then via serf): the second is a no-op and must print the same
        assertSequentialSame("keys", "-install", KEY2);
        assertSameOutput(true, "keys", "-list");
        assertSequentialSame("keys", "-use", KEY2);
        currentKey = KEY2;
        assertSequentialSame("keys", "-remove", KEY2);
        assertSequentialSame("keys", "-remove", KEY1);
        assertSameOutput(true, "keys", "-list");
        assertTrue(rumor.cli("keys", "-list").output().contains(KEY2 + "  [3/3]"), rumor.cli("keys", "-list").output());
        assertSameOutput(false, "keys", "-install", "abc");
        assertSameOutput(false, "keys", "-list", "-install", KEY1);
        assertEquals(serf.cli("keys").exitCode(), rumor.cli("keys").exitCode());
        // the cluster still works on the new key
        assertTrue(allAlive(peer, 3));
    }

    /** Key commands change cluster state: run via rumor first, then via serf, and compare. */
    private void assertSequentialSame(String... args) {
        CliResult ours = rumor.cli(args);
        CliResult theirs = serf.cli(args);
        compare(ours, theirs, true, UnaryOperator.identity(), args);
    }

    // ------------------------------------------------------------------ join, leave, force-leave

    @Test
    @Order(9)
    void joinLeaveAndForceLeavePrune() {
        try (RumorAgent newRumor = RumorAgent.builder("rumor3", dir).encrypt(currentKey).logLevel("info").start();
                SerfAgent newSerf = SerfAgent.builder("serfc3", dir).encrypt(currentKey).logLevel("info").start()) {
            CliResult ours = newRumor.cli("join", serf.gossipAddress());
            CliResult theirs = newSerf.cli("join", serf.gossipAddress());
            compare(ours, theirs, false, UnaryOperator.identity(), "join", "ADDR");
            assertEquals("Successfully joined cluster by contacting 1 nodes.", ours.output().strip());
            compare(newRumor.cli("join"), newSerf.cli("join"), false, UnaryOperator.identity(), "join");
            compare(newRumor.cli("join", "127.0.0.1:1"), newSerf.cli("join", "127.0.0.1:1"), false,
                    UnaryOperator.identity(), "join", "127.0.0.1:1");
            Eventually.await(WAIT, () -> allAlive(peer, 5) && rumorSeesAlive(5), () -> "newcomers not alive: " + peer.members());
            assertSameOutput(true, "members");

            CliResult[] left = new CliResult[2];
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> left[0] = newRumor.cli("leave"));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> left[1] = newSerf.cli("leave"));
            a.join();
            b.join();
            compare(left[0], left[1], false, UnaryOperator.identity(), "leave");
            assertEquals("Graceful leave complete", left[0].output().strip());
            assertEquals(0, newRumor.awaitExit(WAIT).orElse(-1), "rumor agent exit code after leave:\n" + newRumor.log());
            // Both agents whose outputs are compared must have seen both leaves complete: a prune that reaches a
            // serf agent while the node is still "leaving" there is applied only after serf's 6 s grace.
            Eventually.await(WAIT, () -> "left".equals(peer.statusOf("rumor3")) && "left".equals(peer.statusOf("serfc3"))
                    && "left".equals(serf.statusOf("rumor3")) && "left".equals(serf.statusOf("serfc3"))
                    && rumor.cli("members", "-status=left").output().lines().count() == 2,
                    () -> "after leave: " + peer.members() + "\nrumor: " + rumor.cli("members").output());
            assertSameOutput(true, "members", "-status=left");

            CliResult pruneOurs = rumor.cli("force-leave", "-prune", "rumor3");
            CliResult pruneTheirs = serf.cli("force-leave", "-prune", "serfc3");
            compare(pruneOurs, pruneTheirs, false, UnaryOperator.identity(), "force-leave", "-prune", "NODE");
            assertEquals("", pruneOurs.output().strip());
            Eventually.await(WAIT, () -> "absent".equals(peer.statusOf("rumor3")) && "absent".equals(peer.statusOf("serfc3"))
                    && "absent".equals(serf.statusOf("rumor3")) && "absent".equals(serf.statusOf("serfc3"))
                    && !rumor.cli("members").output().contains("rumor3") && !rumor.cli("members").output().contains("serfc3"),
                    () -> "after prune: " + peer.members() + "\nrumor: " + rumor.cli("members").output());
            assertSameOutput(true, "members");
            assertSameOutput(false, "force-leave");
            assertSameOutput(false, "force-leave", "nosuchnode");
        }
    }

    @Test
    @Order(10)
    void aKilledNodeIsFailedThenForceLeft() {
        try (SerfAgent victim = SerfAgent.builder("serfd4", dir).encrypt(currentKey).logLevel("info")
                .join(serf.gossipAddress()).start()) {
            Eventually.await(WAIT, () -> rumorSeesStatus("serfd4", "alive"), () -> rumor.cli("members").output());
            victim.kill();
            Eventually.await(Duration.ofSeconds(40), () -> rumorSeesStatus("serfd4", "failed")
                    && "failed".equals(serf.statusOf("serfd4")),
                    () -> "rumor: " + rumor.cli("members").output() + "\nserf: " + serf.cli("members").output());
            assertSameOutput(true, "members", "-status=failed");
            assertSameOutput(true, "members", "-status=failed", "-detailed");
            CliResult ours = rumor.cli("force-leave", "serfd4");
            assertEquals(0, ours.exitCode(), ours.output());
            assertEquals("", ours.output().strip());
            Eventually.await(WAIT, () -> rumorSeesStatus("serfd4", "left") && "left".equals(serf.statusOf("serfd4"))
                    && "left".equals(peer.statusOf("serfd4")), () -> "after force-leave: " + serf.members());
            assertSameOutput(false, "force-leave", "serfd4");
            assertSameOutput(true, "members", "-status=left");
            assertTrue(rumor.cli("force-leave", "-prune", "serfd4").ok());
            Eventually.await(WAIT, () -> !rumor.cli("members").output().contains("serfd4")
                    && "absent".equals(serf.statusOf("serfd4")), () -> "after prune: " + serf.members());
        }
    }

    private boolean rumorSeesStatus(String node, String status) {
        CliResult r = rumor.cli("members", "-name=" + node, "-status=" + status);
        return r.ok() && r.output().contains(node);
    }

    @Test
    @Order(11)
    void leaveOfTheAgentsThemselves() throws Exception {
        // last: both agents leave through the serf CLI while a monitor watches each; peers see them "left",
        // the Rumor process exits 0, and each monitor notices its agent went away
        Path ourOut = dir.resolve("monitor-leave-rumor.out");
        Path theirOut = dir.resolve("monitor-leave-serf.out");
        Process ourMon = new ProcessBuilder(SerfAgent.SERF, "monitor", "-rpc-addr=" + rumor.rpcAddress())
                .redirectErrorStream(true).redirectOutput(ourOut.toFile()).start();
        Process theirMon = new ProcessBuilder(SerfAgent.SERF, "monitor", "-rpc-addr=" + serf.rpcAddress())
                .redirectErrorStream(true).redirectOutput(theirOut.toFile()).start();
        try {
            Eventually.await(WAIT, () -> logLines(ourOut).size() > 0 && logLines(theirOut).size() > 0,
                    () -> "monitors printed:\n" + read(ourOut) + "\n" + read(theirOut));
            CliResult[] r = both("leave");
            compare(r[0], r[1], false, UnaryOperator.identity(), "leave");
            assertEquals("Graceful leave complete", r[0].output().strip());
            assertEquals(0, rumor.awaitExit(WAIT).orElse(-1), rumor.log());
            assertTrue(ourMon.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "rumor monitor still running:\n" + read(ourOut));
            assertTrue(theirMon.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "serf monitor still running:\n" + read(theirOut));
            assertEquals(theirMon.exitValue(), ourMon.exitValue());
            String ending = "Remote side ended the monitor! This usually means that the\nremote side has exited or crashed.";
            assertTrue(read(theirOut).strip().endsWith(ending), read(theirOut));
            assertTrue(read(ourOut).strip().endsWith(ending), read(ourOut));
        } finally {
            ourMon.destroyForcibly();
            theirMon.destroyForcibly();
        }
        Eventually.await(WAIT, () -> "left".equals(peer.statusOf("rumor1")) && "left".equals(peer.statusOf("serfa1")),
                () -> peer.members().toString());
        CliResult gone = rumor.cli("members");
        assertEquals(1, gone.exitCode());
        assertTrue(gone.output().startsWith("Error connecting to Serf agent: dial tcp " + rumor.rpcAddress()), gone.output());
    }
}
