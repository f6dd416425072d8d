package dev.rumor.plugins.shellexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.agent.Agent;
import dev.rumor.agent.plugin.InstanceStats;
import dev.rumor.cli.Main;
import dev.rumor.rpc.RpcClient;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.RumorCluster;
import dev.rumor.testing.SerfAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** LAN-profile agents loading the packaged shell-exec jar through the real plugin host. */
    private RumorCluster cluster() {
        return RumorCluster.builder(tmp).profile("lan")
                .pluginJar(RumorCluster.packagedPluginJar("rumor-plugin-shell-exec")).build();
    }

    private static String addr(java.net.InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Test
    void burstReachesFastHandlerInOrderSlowOverflowIsCountedNoFalseFailure() throws Exception {
        Path fast = tmp.resolve("fast.txt");
        try (RumorCluster cluster = cluster();
             SerfAgent serf = SerfAgent.builder("serf-peer", tmp).logLevel("debug").start()) {
            Agent agent = cluster.start("rumor-burst", n -> n
                    .handler(Map.of("name", "fast", "plugin", "shell-exec", "events", "user:burst",
                            "config", Map.of("script", "cat >> " + fast)))
                    .handler(Map.of("name", "slow", "plugin", "shell-exec", "events", "user:burst", "queue_size", 10,
                            "config", Map.of("script", "sleep 2")))).agent();
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
        try (RumorCluster cluster = cluster();
             SerfAgent serf = SerfAgent.builder("serf-q", tmp).start()) {
            Agent agent = cluster.start("rumor-q", n -> n
                    .config("event_handlers", List.of("query:whoami=echo answer-from-$SERF_SELF_NAME"))).agent();
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
