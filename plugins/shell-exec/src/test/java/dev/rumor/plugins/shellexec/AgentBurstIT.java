package dev.rumor.plugins.shellexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.agent.Agent;
import dev.rumor.agent.AgentSettings;
import dev.rumor.agent.config.AgentConfig;
import dev.rumor.agent.config.ConfigLoader;
import dev.rumor.agent.config.ConfigMerge;
import dev.rumor.agent.plugin.InstanceStats;
import dev.rumor.cli.Main;
import dev.rumor.rpc.RpcClient;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Rumor agent (in process, real sockets) with shell-exec handlers, next to a real serf agent:
 * a burst of 1,000 user events reaches a fast handler in order while a slow handler's overflow is
 * counted, and membership is unaffected throughout (serf never suspects the Rumor node); a query answered
 * by a script reaches both {@code serf query} and {@code rumor query}.
 */
class AgentBurstIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Agent startAgent(String yaml) throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = packagedJar();
        Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path cfg = tmp.resolve("agent.yaml");
        Files.writeString(cfg, yaml + "\nbind: 127.0.0.1:0\nrpc_addr: 127.0.0.1:0\nplugins_dir: " + plugins
                + "\ndata_dir: " + tmp.resolve("data") + "\n");
        AgentConfig c = ConfigMerge.mergeAll(List.of(AgentConfig.defaults(), ConfigLoader.loadFile(cfg)));
        return Agent.start(AgentSettings.from(c, tmp));
    }

    private static Path packagedJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("rumor-plugin-shell-exec-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run after package: no jar in target/"));
        }
    }

    private static String addr(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    void burstReachesFastHandlerInOrderSlowOverflowIsCountedNoFalseFailure() throws Exception {
        Path fast = tmp.resolve("fast.txt");
        String yaml = """
                node_name: rumor-burst
                handlers:
                  - name: fast
                    plugin: shell-exec
                    events: user:burst
                    config: {script: "cat >> %s"}
                  - name: slow
                    plugin: shell-exec
                    events: user:burst
                    queue_size: 10
                    config: {script: "sleep 2"}
                """.formatted(fast);
        try (Agent agent = startAgent(yaml);
             SerfAgent serf = SerfAgent.builder("serf-peer", tmp).logLevel("debug").start()) {
            serf.join(addr(agent.gossipAddress()));
            Eventually.await(WAIT, () -> "alive".equals(serf.statusOf("rumor-burst")), () -> "not joined");

            try (RpcClient c = RpcClient.connect(addr(agent.rpcAddress()), "", Duration.ofSeconds(10))) {
                for (int i = 0; i < 1000; i++) {
                    c.userEvent("burst", Integer.toString(i).getBytes(StandardCharsets.UTF_8), false);
                }
            }
            Eventually.await(WAIT, () -> lines(fast).size() >= 1000, () -> "fast handler got " + lines(fast).size());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, lines(fast), "every event once, in order");

            InstanceStats slow = agent.plugins().stats().instances().stream()
                    .filter(s -> s.name().equals("slow")).findFirst().orElseThrow();
            assertTrue(slow.dropped() > 900, "the slow handler's overflow is counted: " + slow);
            InstanceStats fastStats = agent.plugins().stats().instances().stream()
                    .filter(s -> s.name().equals("fast")).findFirst().orElseThrow();
            assertEquals(0, fastStats.dropped(), fastStats.toString());
            assertEquals(1000, fastStats.runs(), fastStats.toString());

            assertEquals("alive", serf.statusOf("rumor-burst"));
            assertFalse(serf.log().contains("Suspect rumor-burst"), "serf suspected the busy Rumor node");
            assertEquals(0, agent.cluster().memberlist().healthScore(), "our own Lifeguard health stayed perfect");
        }
    }

    @Test
    void scriptAnsweredQueryReachesSerfQueryAndRumorQuery() throws Exception {
        String yaml = """
                node_name: rumor-q
                event_handlers:
                  - "query:whoami=echo answer-from-$SERF_SELF_NAME"
                """;
        try (Agent agent = startAgent(yaml);
             SerfAgent serf = SerfAgent.builder("serf-q", tmp).start()) {
            serf.join(addr(agent.gossipAddress()));
            Eventually.await(WAIT, () -> "alive".equals(serf.statusOf("rumor-q")), () -> "not joined");

            CliResult viaSerf = serf.cli("query", "-timeout=3s", "whoami");
            assertTrue(viaSerf.output().contains("Response from 'rumor-q': answer-from-rumor-q"), viaSerf.output());

            StringWriter out = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            int code = cl.execute("query", "-rpc-addr=" + addr(agent.rpcAddress()), "-timeout=3s", "whoami");
            assertEquals(0, code, out.toString());
            assertTrue(out.toString().contains("Response from 'rumor-q': answer-from-rumor-q"), out.toString());
            assertTrue(out.toString().contains("Total Acks: 2"), out.toString());
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
