package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Simulation tests: one seeded 100-node cluster on virtual time and an in-memory network, built once
 * (converging 100 nodes is the expensive part) and exercised by ordered scenarios that do not disturb
 * each other's assertions: the leave comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SerfSimulationTest {
    private static final int N = 100;
    private SimulatedCluster sim;

    @BeforeAll
    void start() {
        sim = new SimulatedCluster(42);
        for (int i = 0; i < N; i++) {
            sim.add("n" + i, Map.of("role", i % 3 == 0 ? "web" : "db", "index", Integer.toString(i)));
        }
        sim.joinAll();
        assertTrue(sim.runUntil(() -> sim.allSeeAlive(N), Duration.ofSeconds(60)), "cluster converged");
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    private long count(String node, ClusterEvent.Type type, String about) {
        return sim.events.get(node).stream()
                .filter(e -> e.type() == type)
                .filter(e -> about == null || ((ClusterEvent.MemberEvent) e).members().get(0).name().equals(about))
                .count();
    }

    @Test
    @Order(1)
    void userEventReachesEveryNodeExactlyOnce() {
        sim.await(sim.nodes.get("n5").userEvent("deploy", "v42".getBytes(StandardCharsets.UTF_8), false),
                Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> sim.events.values().stream()
                .allMatch(l -> l.stream().anyMatch(e -> e instanceof ClusterEvent.UserEvent)), Duration.ofSeconds(30)));
        sim.time.runFor(Duration.ofSeconds(30)); // let gossip and push/pull run out: still exactly once
        for (Map.Entry<String, List<ClusterEvent>> e : sim.events.entrySet()) {
            List<ClusterEvent.UserEvent> got = e.getValue().stream()
                    .filter(x -> x instanceof ClusterEvent.UserEvent).map(x -> (ClusterEvent.UserEvent) x).toList();
            assertEquals(1, got.size(), e.getKey() + " got " + got.size());
            assertEquals("deploy", got.get(0).name());
            assertEquals("v42", new String(got.get(0).payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(2)
    void tagFilteredQueryIsAnsweredByExactlyTheMatchingNodesAndReturnsEarly() {
        sim.onEvent = (node, e) -> {
            if (e instanceof ClusterEvent.QueryEvent q && q.query().name().equals("who")) {
                q.query().respond(("I am " + node).getBytes(StandardCharsets.UTF_8));
            }
        };
        Set<String> web = sim.nodes.values().stream().map(Cluster::localMember)
                .filter(m -> m.tags().get("role").equals("web")).map(Member::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(34, web.size());
        QueryResponses r = sim.await(sim.nodes.get("n1").query("who", null,
                QueryParams.defaults().withFilterTags(Map.of("role", "^web$")).withRequestAck(true)),
                Duration.ofSeconds(1));
        long sentAt = sim.time.nanoTime();
        assertEquals(34, r.expected());
        assertEquals(web, r.expectedNodes());
        sim.await(r.done(), Duration.ofSeconds(30));
        long took = sim.time.nanoTime() - sentAt;
        Duration timeout = sim.nodes.get("n1").defaultQueryTimeout();
        assertEquals(Duration.ofMillis(9600), timeout, "LAN default for 100 nodes");
        assertTrue(took < timeout.toNanos(), "finished early after " + took / 1e6 + " ms");
        Set<String> responders = r.responses().stream().map(NodeResponse::from)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(web, responders);
        assertEquals(web, new TreeSet<>(r.acks()));
        for (NodeResponse resp : r.responses()) {
            assertEquals("I am " + resp.from(), new String(resp.payload(), StandardCharsets.UTF_8));
        }
        // non-matching nodes never saw the query as an event
        for (String n : sim.nodes.keySet()) {
            long seen = sim.events.get(n).stream()
                    .filter(e -> e instanceof ClusterEvent.QueryEvent q && q.query().name().equals("who")).count();
            assertEquals(web.contains(n) ? 1 : 0, seen, n);
        }
    }

    @Test
    @Order(4)
    void gracefulLeaveGivesLeftEverywhereAndNeverFailed() {
        Cluster leaver = sim.nodes.get("n7");
        sim.await(leaver.leave(), Duration.ofSeconds(20));
        assertEquals(Cluster.State.LEFT, leaver.state());
        leaver.shutdown();
        assertTrue(sim.runUntil(() -> sim.nodes.values().stream().filter(c -> c != leaver)
                .allMatch(c -> c.member("n7") != null && c.member("n7").status() == MemberStatus.LEFT),
                Duration.ofSeconds(30)), "n7 left everywhere");
        sim.time.runFor(Duration.ofSeconds(30));
        for (String n : sim.nodes.keySet()) {
            if (n.equals("n7")) {
                continue;
            }
            assertEquals(MemberStatus.LEFT, sim.nodes.get(n).member("n7").status(), n);
            assertEquals(0, count(n, ClusterEvent.Type.MEMBER_FAILED, "n7"), n + " saw n7 fail");
            assertEquals(1, count(n, ClusterEvent.Type.MEMBER_LEAVE, "n7"), n);
        }
    }

    @Test
    @Order(3)
    void tagChangeIsSeenAsMemberUpdateEverywhere() {
        Cluster changer = sim.nodes.get("n3");
        sim.await(changer.setTags(Map.of("role", "cache")), Duration.ofSeconds(20));
        assertTrue(sim.runUntil(() -> sim.nodes.values().stream()
                .allMatch(c -> "cache".equals(c.member("n3").tags().get("role"))), Duration.ofSeconds(30)));
        for (String n : sim.nodes.keySet()) {
            List<ClusterEvent.MemberEvent> updates = sim.events.get(n).stream()
                    .filter(e -> e.type() == ClusterEvent.Type.MEMBER_UPDATE).map(e -> (ClusterEvent.MemberEvent) e)
                    .toList();
            assertEquals(1, updates.size(), n);
            assertEquals("n3", updates.get(0).members().get(0).name());
            assertEquals(Map.of("role", "cache"), updates.get(0).members().get(0).tags());
        }
    }
}
