package dev.rumor.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfMember;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three agents of the unpacked distribution, each a separate {@code bin/rumor agent} process on loopback,
 * driven only through {@code bin/rumor} client commands, as an operator would.
 */
class ClusterIT {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<RumorAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(RumorAgent::close);
    }

    @Test
    void threeNodesJoinSeeEachOtherRunHandlersAndAnswerQueries() throws IOException {
        RumorAgent a = start("a", null);
        RumorAgent b = start("b", a.gossipAddress());
        RumorAgent c = start("c", a.gossipAddress());

        // every node lists all three as alive
        for (RumorAgent observer : agents) {
            Eventually.await(CONVERGE, () -> aliveNames(observer).equals(List.of("a", "b", "c")),
                    () -> observer.name() + " sees " + observer.cli("members").output());
        }
        CliResult table = b.cli("members");
        assertEquals(0, table.exitCode(), table.output());
        for (RumorAgent n : agents) {
            assertTrue(table.output().contains(n.name() + "  " + n.gossipAddress() + "  alive"), table.output());
        }

        // a user event sent through one node runs the configured handler on every node, with its payload
        CliResult sent = c.cli("event", "deploy", "v42");
        assertEquals(0, sent.exitCode(), sent.output());
        assertTrue(sent.output().contains("Event 'deploy' dispatched"), sent.output());
        for (RumorAgent n : agents) {
            Path log = tmp.resolve(n.name()).resolve("deploy.log");
            Eventually.await(CONVERGE, () -> read(log).contains(n.name() + " deploy v42"),
                    () -> n.name() + " handler log: '" + read(log) + "'; agent log:\n" + n.log());
        }

        // a query gets an ack and a response from each node, answered by a plugin handler instance
        CliResult q = a.cli("query", "-timeout=15s", "whoami");
        assertEquals(0, q.exitCode(), q.output());
        for (RumorAgent n : agents) {
            assertTrue(q.output().contains("Response from '" + n.name() + "': I am " + n.name()), q.output());
        }
        assertTrue(q.output().contains("Total Acks: 3"), q.output());
        assertTrue(q.output().contains("Total Responses: 3"), q.output());
    }

    @Test
    void theAgentProcessIsTheJvmWithTheSmallFootprintOptions() throws IOException {
        RumorAgent a = start("solo", null);
        ProcessHandle.Info info = a.handle().info();
        // exec: no shell left between the caller and the JVM, so signals and $MAINPID reach the agent
        assertTrue(info.command().orElse("").endsWith("/java"), "agent process is " + info.command());
        List<String> jvmArgs = List.of(info.arguments().orElse(new String[0]));
        for (String expected : List.of("-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1", "-XX:CompileThresholdScaling=0.25", "-XX:-UsePerfData")) {
            assertTrue(jvmArgs.contains(expected), expected + " missing from " + jvmArgs);
        }
        // an agent that reads a config file maps the archive that has Jackson's databind (lib/rumor.jsa) ...
        assertTrue(jvmArgs.contains("-XX:SharedArchiveFile=" + Dist.HOME.resolve("lib/rumor.jsa")),
                "the agent was not given the CDS archive: " + jvmArgs);
        // and the JVM accepted it: the archive is mapped into the agent's address space
        String maps = Files.readString(Path.of("/proc/" + a.pid() + "/maps"), StandardCharsets.US_ASCII);
        assertTrue(maps.contains(Dist.HOME.resolve("lib/rumor.jsa").toString()), "lib/rumor.jsa is not mapped");
        // ... one started with flags only maps the smaller lib/rumor-agent.jsa
        Path bareDir = Files.createDirectories(tmp.resolve("bare"));
        RumorAgent bare = RumorAgent.builder("bare", bareDir).join(a.gossipAddress()).start();
        agents.add(bare);
        String bareMaps = Files.readString(Path.of("/proc/" + bare.pid() + "/maps"), StandardCharsets.US_ASCII);
        assertTrue(bareMaps.contains(Dist.HOME.resolve("lib/rumor-agent.jsa").toString()),
                "lib/rumor-agent.jsa is not mapped by an agent without config files");
        assertFalse(bareMaps.contains(Dist.HOME.resolve("lib/rumor.jsa").toString()),
                "an agent without config files mapped the client commands' archive");
        CliResult info2 = a.cli("info");
        assertEquals(0, info2.exitCode(), info2.output());
        // the shipped plugins are all loaded from plugins/
        for (String plugin : List.of("shell-exec", "haproxy", "webhook", "chef", "example")) {
            assertTrue(info2.output().contains("plugin." + plugin + " = "), info2.output());
        }
    }

    private RumorAgent start(String name, String join) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("event_handlers", List.of("user:deploy=printf '%s %s ' \"$SERF_SELF_NAME\" \"$SERF_USER_EVENT\" >> '"
                + dir.resolve("deploy.log") + "'; cat >> '" + dir.resolve("deploy.log") + "'"));
        config.put("handlers", List.of(Map.of("name", "whoami", "plugin", "shell-exec", "events", "query:whoami",
                "config", Map.of("script", "echo \"I am $SERF_SELF_NAME\""))));
        Path file = dir.resolve("agent.json");
        JSON.writeValue(file.toFile(), config);
        RumorAgent.Builder builder = RumorAgent.builder(name, dir).configFile(file);
        if (join != null) {
            builder.join(join);
        }
        RumorAgent agent = builder.start();
        agents.add(agent);
        return agent;
    }

    private static List<String> aliveNames(RumorAgent observer) {
        try {
            return observer.members().stream().filter(m -> m.status().equals("alive")).map(SerfMember::name)
                    .sorted().toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    static Optional<SerfMember> member(RumorAgent observer, String node) {
        return observer.members().stream().filter(m -> m.name().equals(node)).findFirst();
    }
}
