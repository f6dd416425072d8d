package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Join sync ({@link MembershipConfig#joinSyncInterval()}): extra push/pulls after a join while members keep
 * appearing. Seeded virtual-time runs of the LAN profile.
 */
class JoinSyncTest {

    /** Virtual seconds until all {@code n} nodes, joining through one seed at the same instant, list n alive. */
    private static double massJoin(int n, Duration joinSync, long[] syncs) {
        try (SimulatedCluster c = new SimulatedCluster(7, b -> b.joinSyncInterval(joinSync))) {
            List<String> names = c.startAll("n", n);
            long t0 = c.nowMillis();
            List<CompletableFuture<Integer>> joins = c.joinAll(names, "n0");
            assertTrue(c.runUntil(() -> c.allSeeAlive(names, n), Duration.ofSeconds(600), Duration.ofMillis(250)),
                    "a mass join must converge with or without join sync");
            assertTrue(joins.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
            for (String name : names) {
                syncs[0] += c.node(name).stats().joinSyncs();
            }
            return (c.nowMillis() - t0) / 1000.0;
        }
    }

    @Test
    void manyNodesJoiningAtOnceConvergeFasterWithJoinSync() {
        long[] with = {0};
        long[] without = {0};
        double fast = massJoin(400, Duration.ofSeconds(1), with);
        double slow = massJoin(400, Duration.ZERO, without);
        assertEquals(0, without[0], "disabled join sync must send nothing");
        assertTrue(with[0] > 0, "nodes that kept learning must have synced");
        assertTrue(fast < slow * 0.7, "join sync: " + fast + " s, without: " + slow + " s");
    }

    @Test
    void aLoneJoinerOfASettledClusterSendsNoExtraPushPull() {
        try (SimulatedCluster c = new SimulatedCluster(3)) {
            List<String> names = c.startAll("n", 10);
            c.joinAll(names, "n0");
            assertTrue(c.runUntil(() -> c.allSeeAlive(names, 10), Duration.ofSeconds(60)));
            c.runFor(Duration.ofSeconds(10));

            c.start("late");
            CompletableFuture<Integer> join = c.joinAll(List.of("late"), "n3").get(0);
            assertTrue(c.runUntil(join::isDone, Duration.ofSeconds(10)));
            assertEquals(1, join.join());
            c.runFor(Duration.ofSeconds(10));
            assertEquals(11, c.node("late").members().size(), "the join push/pull already brought every member");
            assertEquals(0, c.node("late").stats().joinSyncs(), "nothing new was learnt, so no sync round ran");
        }
    }
}
