package dev.rumor.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogHubTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final LogHub hub = new LogHub(new PrintStream(console, true, StandardCharsets.UTF_8), "INFO");

    {
        hub.openGate();
    }

    private void log(String s) {
        PrintStream err = new PrintStream(new LogHub.LineSplitter(hub), true, StandardCharsets.UTF_8);
        err.println(s);
    }

    @Test
    void reshapesSlf4jSimpleLinesToSerfsShape() {
        log("2026/11/27 07:40:26 [INFO] dev.rumor.agent.Agent - Serf agent starting");
        log("2026/11/27 07:40:27 [ERROR] dev.rumor.membership.Prober - Failed to send ping: boom");
        assertEquals("    2026/11/27 07:40:26 [INFO] agent: Serf agent starting\n"
                + "    2026/11/27 07:40:27 [ERR] memberlist: Failed to send ping: boom\n", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void levelChangesAtRuntime() {
        log("2026/11/27 07:40:26 [DEBUG] dev.rumor.cluster.Cluster - hidden");
        hub.setLevel("debug");
        log("2026/11/27 07:40:26 [DEBUG] dev.rumor.cluster.Cluster - shown");
        hub.setLevel("warn");
        log("2026/11/27 07:40:26 [INFO] dev.rumor.cluster.Cluster - hidden again");
        assertEquals("    2026/11/27 07:40:26 [DEBUG] serf: shown\n", console.toString(StandardCharsets.UTF_8));
        assertEquals("WARN", hub.level());
        assertThrows(IllegalArgumentException.class, () -> hub.setLevel("loud"));
    }

    @Test
    void monitorGetsHistoryThenLiveLinesAtItsOwnLevel() throws Exception {
        log("2026/11/27 07:40:26 [DEBUG] dev.rumor.agent.Agent - old debug");
        log("2026/11/27 07:40:26 [INFO] dev.rumor.agent.Agent - old info");
        List<String> seen = new ArrayList<>();
        try (AutoCloseable sub = hub.subscribe("debug", seen::add)) {
            log("2026/11/27 07:40:27 [DEBUG] dev.rumor.rpc.RpcServer - new debug");
        }
        log("2026/11/27 07:40:28 [INFO] dev.rumor.agent.Agent - after close");
        assertEquals(List.of("2026/11/27 07:40:26 [DEBUG] agent: old debug", "2026/11/27 07:40:26 [INFO] agent: old info",
                "2026/11/27 07:40:27 [DEBUG] agent.ipc: new debug"), seen);
    }

    @Test
    void continuationLinesKeepTheirRecordsLevel() {
        List<String> warn = new ArrayList<>();
        hub.subscribe("warn", warn::add);
        log("2026/11/27 07:40:26 [WARN] dev.rumor.agent.Agent - trouble\njava.io.IOException: x\n\tat a.b(C.java:1)");
        log("2026/11/27 07:40:26 [INFO] dev.rumor.agent.Agent - fine");
        assertEquals(3, warn.size());
        assertEquals("\tat a.b(C.java:1)", warn.get(2));
    }

    @Test
    void startupLinesWaitForTheGate() {
        LogHub gatedHub = new LogHub(new PrintStream(console, true, StandardCharsets.UTF_8), "INFO");
        PrintStream err = new PrintStream(new LogHub.LineSplitter(gatedHub), true, StandardCharsets.UTF_8);
        err.println("2026/11/27 07:40:26 [INFO] org.pf4j.AbstractPluginManager - Start plugin 'x'");
        err.println("2026/11/27 07:40:26 [INFO] dev.rumor.agent.Agent - early");
        assertEquals("", console.toString(StandardCharsets.UTF_8));
        gatedHub.openGate();
        assertEquals("    2026/11/27 07:40:26 [INFO] agent: early\n", console.toString(StandardCharsets.UTF_8),
                "PF4J's INFO chatter is demoted to DEBUG");
    }

    @Test
    void ringKeepsTheLast512Lines() {
        for (int i = 0; i < 600; i++) {
            log("2026/11/27 07:40:26 [INFO] x - line " + i);
        }
        List<String> seen = new ArrayList<>();
        hub.subscribe("info", seen::add);
        assertEquals(512, seen.size());
        assertEquals("2026/11/27 07:40:26 [INFO] x: line 88", seen.get(0));
    }

    @Test
    void aSubscriberThatLogsWhileFedIsNotFedItsOwnLines() throws Exception {
        // e.g. a monitor client whose buffer is full logs "Dropping ...": that line must not come back to it
        List<String> seen = new ArrayList<>();
        try (AutoCloseable sub = hub.subscribe("info", line -> {
            seen.add(line);
            log("2026/11/27 07:40:28 [WARN] dev.rumor.rpc.RpcSession - Dropping events for RPC client x");
        })) {
            log("2026/11/27 07:40:27 [INFO] dev.rumor.agent.Agent - one");
            log("2026/11/27 07:40:27 [INFO] dev.rumor.agent.Agent - two");
        }
        assertEquals(List.of("2026/11/27 07:40:27 [INFO] agent: one", "2026/11/27 07:40:27 [INFO] agent: two"), seen);
        assertEquals(2, console.toString(StandardCharsets.UTF_8).split("agent.ipc: Dropping events", -1).length - 1);
    }
}
