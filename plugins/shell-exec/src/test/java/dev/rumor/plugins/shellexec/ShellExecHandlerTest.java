package dev.rumor.plugins.shellexec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.Member;
import dev.rumor.plugin.MemberStatus;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** serf's script contract, byte for byte: environment, stdin, output and query responses. */
class ShellExecHandlerTest {

    /** Dumps the handler variables (C-sorted) and stdin, like the research recipe's handler.sh. */
    private static final String DUMP = "{ env | grep -E '^(SERF|RUMOR)_' | LC_ALL=C sort; echo STDIN; cat; } > \"$OUT\"";

    private static final Member SELF = new Member("gamma", "127.0.0.1", 7946,
            Map.of("role", "cache", "weird.key-x", "v 1"), MemberStatus.ALIVE);

    @TempDir
    Path tmp;

    private final TestContext ctx = new TestContext(SELF, null);

    private EventHandler handler(Map<String, Object> settings) {
        return new ShellExecHandlerFactory().create(ctx, settings);
    }

    private String dump(Event e) throws Exception {
        Path out = tmp.resolve("out.txt");
        handler(Map.of("script", DUMP, "env", Map.of("OUT", out.toString()))).handle(e);
        return Files.readString(out);
    }

    private static String selfVars(String event) {
        StringBuilder sb = new StringBuilder();
        for (String prefix : List.of("RUMOR_", "SERF_")) {
            sb.append(prefix).append("EVENT=").append(event).append('\n')
                    .append(prefix).append("SELF_NAME=gamma\n")
                    .append(prefix).append("SELF_ROLE=cache\n")
                    .append(prefix).append("TAG_ROLE=cache\n")
                    .append(prefix).append("TAG_WEIRD_KEY_X=v 1\n");
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"MEMBER_JOIN", "MEMBER_LEAVE", "MEMBER_FAILED", "MEMBER_UPDATE",
            "MEMBER_REAP"})
    void memberEventsGetOneLinePerMember(EventType type) throws Exception {
        Member odd = new Member("al\tpha", "10.0.0.2", 7946, Map.of("role", "we\nb", "z", "1", "a", "x y"),
                MemberStatus.ALIVE);
        Member bare = new Member("beta", "10.0.0.3", 7946, Map.of(), MemberStatus.FAILED);
        String got = dump(new MemberEvent(type, List.of(SELF, odd, bare)));
        assertEquals(selfVars(type.wireName())
                + "STDIN\n"
                + "gamma\t127.0.0.1\tcache\trole=cache,weird.key-x=v 1\n"
                + "al\\tpha\t10.0.0.2\twe\\nb\ta=x y,role=we\\nb,z=1\n"
                + "beta\t10.0.0.3\t\t\n", got);
    }

    @Test
    void userEventGetsNameLtimeAndPayloadWithNewline() throws Exception {
        String got = dump(new UserEvent(7, "deploy", "v1.2".getBytes(StandardCharsets.UTF_8), true));
        assertEquals("RUMOR_EVENT=user\nRUMOR_SELF_NAME=gamma\nRUMOR_SELF_ROLE=cache\nRUMOR_TAG_ROLE=cache\n"
                + "RUMOR_TAG_WEIRD_KEY_X=v 1\nRUMOR_USER_EVENT=deploy\nRUMOR_USER_LTIME=7\n"
                + "SERF_EVENT=user\nSERF_SELF_NAME=gamma\nSERF_SELF_ROLE=cache\nSERF_TAG_ROLE=cache\n"
                + "SERF_TAG_WEIRD_KEY_X=v 1\nSERF_USER_EVENT=deploy\nSERF_USER_LTIME=7\n"
                + "STDIN\nv1.2\n", got);
        String empty = dump(new UserEvent(8, "nopay", new byte[0], false));
        assertTrue(empty.contains("SERF_USER_EVENT=nopay\nSERF_USER_LTIME=8\nSTDIN\n") && empty.endsWith("STDIN\n"),
                empty);
        String withNl = dump(new UserEvent(9, "x", "a\nb\n".getBytes(StandardCharsets.UTF_8), false));
        assertTrue(withNl.endsWith("STDIN\na\nb\n"), withNl);
    }

    @Test
    void queryGetsNameLtimePayloadAndOutputIsTheResponse() throws Exception {
        Path out = tmp.resolve("q.txt");
        QueryEvent q = new QueryEvent(3, 99, "ping-me", "hello".getBytes(StandardCharsets.UTF_8),
                Instant.now().plusSeconds(30));
        handler(Map.of("script", DUMP + "; echo \"resp-from-gamma:$SERF_QUERY_NAME\"",
                "env", Map.of("OUT", out.toString()))).handle(q);
        assertEquals("RUMOR_EVENT=query\nRUMOR_QUERY_LTIME=3\nRUMOR_QUERY_NAME=ping-me\nRUMOR_SELF_NAME=gamma\n"
                + "RUMOR_SELF_ROLE=cache\nRUMOR_TAG_ROLE=cache\nRUMOR_TAG_WEIRD_KEY_X=v 1\n"
                + "SERF_EVENT=query\nSERF_QUERY_LTIME=3\nSERF_QUERY_NAME=ping-me\nSERF_SELF_NAME=gamma\n"
                + "SERF_SELF_ROLE=cache\nSERF_TAG_ROLE=cache\nSERF_TAG_WEIRD_KEY_X=v 1\n"
                + "STDIN\nhello\n", Files.readString(out));
        assertEquals(1, ctx.responses.size());
        assertEquals("resp-from-gamma:ping-me\n", new String(ctx.responses.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void stderrIsPartOfTheResponseAndSilentScriptsSendNothing() throws Exception {
        QueryEvent q = new QueryEvent(1, 1, "q", new byte[0], Instant.now().plusSeconds(30));
        handler(Map.of("script", "echo out; echo err >&2")).handle(q);
        assertEquals("out\nerr\n", new String(ctx.responses.get(0), StandardCharsets.UTF_8));
        handler(Map.of("script", "true")).handle(q);
        assertEquals(1, ctx.responses.size(), "no output, no response (serf: TotalWritten() > 0)");
    }

    @Test
    void nonZeroExitThrowsAndSendsNothing() {
        QueryEvent q = new QueryEvent(1, 1, "q", new byte[0], Instant.now().plusSeconds(30));
        IOException e = assertThrows(IOException.class,
                () -> handler(Map.of("script", "echo partial; exit 3")).handle(q));
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
        assertTrue(e.getMessage().contains("partial"), e.getMessage());
        assertEquals(0, ctx.responses.size());
    }

    @Test
    void outputIsKeptInAn8KiBRing() throws Exception {
        QueryEvent q = new QueryEvent(1, 1, "q", new byte[0], Instant.now().plusSeconds(30));
        // 3000 numbered lines of 7 bytes ("L00000\n" …) = 21000 bytes; the last 8192 are kept.
        handler(Map.of("script", "i=0; while [ $i -lt 3000 ]; do printf 'L%05d\\n' $i; i=$((i+1)); done")).handle(q);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            all.append(String.format("L%05d%n", i));
        }
        byte[] expected = all.substring(all.length() - 8192).getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, ctx.responses.get(0));
    }

    @Test
    void extraEnvironmentAndWorkingDirectory() throws Exception {
        QueryEvent q = new QueryEvent(1, 1, "q", new byte[0], Instant.now().plusSeconds(30));
        Map<String, Object> env = new HashMap<>();
        env.put("FOO", "bar baz");
        env.put("N", 5);
        env.put("SERF_EVENT", "spoofed");
        handler(Map.of("script", "pwd; echo \"$FOO/$N/$SERF_EVENT\"; echo \"${PATH:+has-path}\"",
                "env", env, "cwd", tmp.toString())).handle(q);
        assertEquals(tmp.toRealPath() + "\nbar baz/5/query\nhas-path\n",
                new String(ctx.responses.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pids = tmp.resolve("pids");
        EventHandler h = handler(Map.of("script", "sleep 600 & echo $! > " + pids + "; wait", "timeout", "300ms"));
        long start = System.nanoTime();
        TimeoutException e = assertThrows(TimeoutException.class, () -> h.handle(new UserEvent(1, "x", null, false)));
        assertTrue(e.getMessage().contains("timed out after PT0.3S"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "returned soon after the timeout");
        long child = Long.parseLong(Files.readString(pids).trim());
        awaitDead(child);
    }

    @Test
    void interruptKillsTheProcessTree() throws Exception {
        Path pids = tmp.resolve("pids");
        EventHandler h = handler(Map.of("script", "echo $$ > " + pids + ".sh; sleep 600 & echo $! > " + pids + "; wait"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                h.handle(new UserEvent(1, "x", null, false));
            } catch (Throwable x) {
                thrown.set(x);
            }
        });
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(pids) && Files.size(pids) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        t.interrupt(); // what the host's instance timeout does
        t.join(10_000);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        awaitDead(Long.parseLong(Files.readString(pids).trim()));
        awaitDead(Long.parseLong(Files.readString(Path.of(pids + ".sh")).trim()));
    }

    private static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " still alive");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void settingsAreValidatedWithTheKeyInTheMessage() {
        assertEquals("script is required", assertThrows(IllegalArgumentException.class,
                () -> handler(Map.of())).getMessage());
        assertEquals("unknown setting 'scrpt' (known: script, timeout, env, cwd)",
                assertThrows(IllegalArgumentException.class, () -> handler(Map.of("scrpt", "x"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> handler(Map.of("script", "x", "timeout", "soon"))).getMessage().startsWith("timeout:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> handler(Map.of("script", "x", "cwd", tmp.resolve("nope").toString()))).getMessage()
                .startsWith("cwd: not a directory"));
        assertEquals("env must be a map of NAME: value", assertThrows(IllegalArgumentException.class,
                () -> handler(Map.of("script", "x", "env", "A=1"))).getMessage());
        assertEquals(java.time.Duration.ofSeconds(90),
                ShellExecSettings.parse(Map.of("script", "x", "timeout", "1m30s")).timeout());
        assertEquals(java.time.Duration.ofMillis(2500),
                ShellExecSettings.parse(Map.of("script", "x", "timeout", 2.5)).timeout());
    }

    @Test
    void tagNamesAreSanitizedLikeSerf() {
        assertEquals("WEIRD_KEY_X", ScriptEnvironment.sanitize("weird.key-x"));
        assertEquals("DC_1__", ScriptEnvironment.sanitize("dc-1é!"));
    }
}
