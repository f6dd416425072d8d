package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.security.Keyring;
import dev.rumor.testing.CliResult;
import dev.rumor.testing.Eventually;
import dev.rumor.testing.SerfAgent;
import dev.rumor.testing.SerfMember;
import dev.rumor.testing.SerfMeta;
import dev.rumor.time.ExecutorScheduler;
import dev.rumor.transport.NetTransport;
import dev.rumor.transport.NetTransportConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The membership layer against the real {@code serf} binary on loopback (wire-protocol §11 R1–R3), with
 * {@link NetTransport} and the LAN profile that serf agents use. The Rumor node speaks memberlist only (no
 * serf layer): serf lists it from memberlist's join events, with tags decoded from its node meta.
 */
class MembershipInteropIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Failure detection with 4 LAN nodes: suspicion 4 s to 24 s (Lifeguard), plus probe and gossip delays. */
    private static final Duration DETECT = Duration.ofSeconds(45);
    private static final Duration CONVERGE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private SerfAgent serf(String name, String key, String join) {
        SerfAgent.Builder b = SerfAgent.builder(name, dir).tag("role", "serf-" + name);
        if (key != null) {
            b.encrypt(key);
        }
        if (join != null) {
            b.join(join);
        }
        SerfAgent a = b.start();
        resources.add(a);
        return a;
    }

    private List<SerfAgent> serfCluster(String key) {
        SerfAgent a = serf("sa", key, null);
        SerfAgent b = serf("sb", key, a.gossipAddress());
        SerfAgent c = serf("sc", key, a.gossipAddress());
        return List.of(a, b, c);
    }

    /** One Rumor memberlist node on its own NetTransport and protocol thread. */
    private final class RumorNode implements AutoCloseable {
        final NetTransport transport;
        final ExecutorScheduler scheduler;
        final Memberlist memberlist;

        RumorNode(String name, String key, Map<String, String> tags) throws Exception {
            MembershipConfig lan = MembershipConfig.lan(name);
            transport = NetTransport.bind(NetTransportConfig.bind(LOOPBACK, 0).withTcpTimeout(lan.tcpTimeout()));
            scheduler = new ExecutorScheduler("rumor-protocol-" + name);
            MembershipConfig.Builder cfg = lan.toBuilder().bindAddress(transport.boundAddress());
            if (key != null) {
                cfg.keyring(Keyring.of(Base64.getDecoder().decode(key)));
            }
            byte[] meta = SerfMeta.encode(tags);
            memberlist = Memberlist.create(cfg.build(), transport, scheduler, Delegates.none().withMeta(limit -> meta));
            resources.add(this);
        }

        String name() {
            return memberlist.localNode().name();
        }

        String gossipAddress() {
            return LOOPBACK.getHostAddress() + ":" + transport.boundAddress().getPort();
        }

        int join(SerfAgent agent) throws Exception {
            return memberlist.join(List.of(agent.gossipSocketAddress())).get(30, TimeUnit.SECONDS);
        }

        NodeStatus statusOf(String node) {
            Node n = memberlist.node(node);
            return n == null ? null : n.status();
        }

        String view() {
            return memberlist.allNodes().stream().map(n -> n.name() + "=" + n.status()).collect(Collectors.joining(", "));
        }

        /** Stops without leaving: to serf it just goes silent. */
        @Override
        public void close() {
            memberlist.shutdown();
            transport.close();
            scheduler.close();
        }
    }

    private static String views(List<SerfAgent> agents) {
        StringBuilder sb = new StringBuilder();
        for (SerfAgent a : agents) {
            sb.append('\n').append(a.name()).append(": ");
            try {
                sb.append(a.members());
            } catch (RuntimeException e) {
                sb.append(e.getMessage());
            }
        }
        return sb.toString();
    }

    private static void awaitStatusEverywhere(List<SerfAgent> agents, String node, String status, Duration timeout) {
        Eventually.await(timeout, () -> agents.stream().allMatch(a -> status.equals(a.statusOf(node))),
                () -> node + " should be " + status + " everywhere;" + views(agents));
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void rumorJoinsASerfClusterDetectsAKillAndIsDetectedWhenItStops(boolean encrypted) throws Exception {
        String key = encrypted ? newKey() : null;
        List<SerfAgent> serfs = serfCluster(key);
        RumorNode rumor = new RumorNode("rumor1", key, Map.of("role", "java", "lang", "jvm"));

        assertEquals(1, rumor.join(serfs.get(0)));
        awaitStatusEverywhere(serfs, "rumor1", "alive", CONVERGE);
        for (SerfAgent a : serfs) {
            SerfMember seen = a.member("rumor1").orElseThrow();
            assertEquals(rumor.gossipAddress(), seen.addr());
            assertEquals(Map.of("role", "java", "lang", "jvm"), seen.tags());
        }
        Eventually.await(CONVERGE, () -> rumor.memberlist.numMembers() == 4, rumor::view);
        assertEquals(Map.of("role", "serf-sc"), SerfMeta.decode(rumor.memberlist.node("sc").meta()));

        // A serf agent vanishes: the Rumor node must declare it dead, like its serf peers mark it failed.
        SerfAgent victim = serfs.get(2);
        victim.kill();
        Eventually.await(DETECT, () -> rumor.statusOf("sc") == NodeStatus.DEAD, rumor::view);
        awaitStatusEverywhere(serfs.subList(0, 2), "sc", "failed", DETECT);
        assertEquals(NodeStatus.ALIVE, rumor.statusOf("sa"));
        assertEquals(NodeStatus.ALIVE, rumor.statusOf("sb"));

        // Serf probed the Rumor node all along (several seconds of 1 s probes) and never had to suspect it.
        for (SerfAgent a : serfs.subList(0, 2)) {
            assertFalse(a.log().contains("Suspect rumor1"), a.log());
            assertFalse(a.log().contains("Failed ping: rumor1"), a.log());
        }

        // The Rumor node stops without leaving: the remaining serf agents must mark it failed (not left).
        rumor.close();
        awaitStatusEverywhere(serfs.subList(0, 2), "rumor1", "failed", DETECT);
        for (SerfAgent a : serfs.subList(0, 2)) {
            assertTrue(a.log().contains("EventMemberFailed: rumor1"), a.log());
            assertTrue(a.log().contains("EventMemberJoin: rumor1"), a.log());
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void serfAgentsJoinARumorSeed(boolean encrypted) throws Exception {
        String key = encrypted ? newKey() : null;
        RumorNode seed = new RumorNode("rumor-seed", key, Map.of("role", "seed"));
        SerfAgent a = serf("sa", key, null);
        a.join(seed.gossipAddress());
        SerfAgent b = serf("sb", key, seed.gossipAddress());
        List<SerfAgent> serfs = List.of(a, b);

        awaitStatusEverywhere(serfs, "rumor-seed", "alive", CONVERGE);
        awaitStatusEverywhere(serfs, "sa", "alive", CONVERGE);
        awaitStatusEverywhere(serfs, "sb", "alive", CONVERGE);
        Eventually.await(CONVERGE, () -> seed.memberlist.numMembers() == 3, seed::view);
        assertEquals(Map.of("role", "seed"), a.member("rumor-seed").orElseThrow().tags());
    }

    @Test
    void aRumorNodeWithTheWrongKeyIsNotAdmitted() throws Exception {
        String key = newKey();
        SerfAgent a = serf("sa", key, null);

        RumorNode wrongKey = new RumorNode("rumor-wrong", newKey(), Map.of());
        ExecutionException e = assertThrows(ExecutionException.class, () -> wrongKey.join(a));
        assertInstanceOf(Memberlist.JoinException.class, e.getCause());

        RumorNode plain = new RumorNode("rumor-plain", null, Map.of());
        assertThrows(ExecutionException.class, () -> plain.join(a));

        // The other direction: serf with a wrong key cannot join a Rumor seed.
        RumorNode seed = new RumorNode("rumor-seed", key, Map.of());
        SerfAgent stranger = serf("stranger", newKey(), null);
        CliResult r = stranger.cli("join", seed.gossipAddress());
        assertNotEquals(0, r.exitCode(), r.output());

        Eventually.await(CONVERGE, () -> a.log().contains("No installed keys could decrypt the message"), a::log);
        List<String> names = a.members().stream().map(SerfMember::name).toList();
        assertEquals(List.of("sa"), names);
        assertEquals(1, seed.memberlist.numMembers(), seed.view());
        assertEquals(1, wrongKey.memberlist.numMembers(), wrongKey.view());
    }
}
