package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.testing.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Whole-cluster behaviour on the LAN profile (the timings Go nodes use), on virtual time with seeded
 * randomness: nothing sleeps and every run is reproducible.
 */
class ClusterSimulationTest {

    /** Starts {@code n} nodes, joins them through n0 and waits until everybody sees everybody. */
    private static List<String> formCluster(SimulatedCluster c, int n) {
        List<String> names = c.startAll("n", n);
        List<CompletableFuture<Integer>> joins = c.joinAll(names, "n0");
        assertTrue(c.runUntil(() -> joins.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(15)));
        for (CompletableFuture<Integer> f : joins) {
            assertEquals(1, f.join(), "each join talks to the one seed");
        }
        assertTrue(c.runUntil(() -> c.allSeeAlive(names, n), Duration.ofSeconds(60), Duration.ofMillis(500)),
                "every node must see " + n + " alive members");
        return names;
    }

    private static List<String> without(List<String> names, String gone) {
        List<String> out = new ArrayList<>(names);
        out.remove(gone);
        return out;
    }

    @Test
    void hundredNodesJoinThroughOneSeedAndAllSeeEveryoneAlive() {
        try (SimulatedCluster c = new SimulatedCluster(42)) {
            List<String> names = formCluster(c, 100);
            // It stays that way: nobody is suspected on a healthy network.
            c.runFor(Duration.ofSeconds(30));
            assertTrue(c.allSeeAlive(names, 100));
            assertTrue(c.deadDeclarations().isEmpty(), c.deadDeclarations().toString());
            for (String n : names) {
                assertEquals(0, c.node(n).healthScore(), n + " must be healthy");
            }
        }
    }

    @Test
    void killedNodeIsDeclaredDeadByEveryoneWithinTheBoundTheConfigImplies() {
        try (SimulatedCluster c = new SimulatedCluster(7)) {
            int n = 100;
            List<String> names = formCluster(c, n);
            MembershipConfig cfg = c.node("n0").config();
            String victim = "n42";
            List<String> others = without(names, victim);
            c.kill(victim);
            long killedAt = c.nowMillis();

            Duration firstBound = ProtocolMath.firstSuspicionBound(cfg, n);
            assertTrue(c.runUntil(() -> others.stream().anyMatch(v -> !c.sees(v, victim, NodeStatus.ALIVE)),
                    firstBound, Duration.ofMillis(10)), "someone must suspect the victim within " + firstBound);
            long firstSuspicion = c.nowMillis();

            Duration deadBound = ProtocolMath.suspicionToDeadBound(cfg, n);
            assertTrue(c.runUntil(() -> others.stream().allMatch(v -> c.deadAt(v, victim) != null),
                    deadBound.plusSeconds(1), Duration.ofMillis(100)), "everyone must declare the victim dead");
            for (String v : others) {
                long dead = c.deadAt(v, victim);
                assertTrue(dead - firstSuspicion <= deadBound.toMillis(),
                        v + " declared the victim dead " + (dead - firstSuspicion) + " ms after the first suspicion, bound "
                                + deadBound.toMillis());
            }
            System.out.printf("kill→first suspicion %d ms, →all dead %d ms (bounds %d / %d ms)%n",
                    firstSuspicion - killedAt, c.nowMillis() - firstSuspicion, firstBound.toMillis(), deadBound.toMillis());
            // Nobody else was hurt.
            for (Map.Entry<String, Map<String, Long>> e : c.deadDeclarations().entrySet()) {
                assertEquals(List.of(victim), List.copyOf(e.getValue().keySet()), e.getKey() + " declared others dead");
            }
        }
    }

    /** What one run of {@link #killAndWatchSuspicions} observed; times in virtual ms. */
    private record SuspicionRun(long firstSuspicion, long allDead, Map<String, Long> reachedK,
                                int maxQueuedSuspectsOfVictim) {
        double meanTimeToK() {
            return reachedK.values().stream().mapToLong(t -> t - firstSuspicion).average().orElseThrow();
        }
    }

    /**
     * Kills one node of a 50-node LAN cluster and watches, every 10 ms, each survivor's suspicion timer
     * (when it counted k independent confirmations) and broadcast queue (how many suspects of the victim
     * it held side by side), until everybody declared the victim dead.
     */
    private static SuspicionRun killAndWatchSuspicions(boolean independent) {
        // The victim's host stays up and refuses the TCP fallback, which would skip the suspicion this test
        // watches (failOnRefusedProbe); turned off here so the Lifeguard path runs as after a host failure.
        try (SimulatedCluster c = new SimulatedCluster(13, b -> b.independentSuspicions(independent)
                .failOnRefusedProbe(false))) {
            int n = 50;
            List<String> names = formCluster(c, n);
            String victim = "n25";
            List<String> others = without(names, victim);
            int k = c.node("n0").config().suspicionMult() - 2;
            c.kill(victim);
            long[] firstSuspicion = {-1};
            int[] maxQueued = {0};
            Map<String, Long> reachedK = new java.util.HashMap<>();
            assertTrue(c.runUntil(() -> {
                for (String v : others) {
                    Memberlist m = c.node(v);
                    Suspicion s = m.state().suspicion(victim);
                    if (s != null) {
                        if (firstSuspicion[0] < 0) {
                            firstSuspicion[0] = c.nowMillis();
                        }
                        if (s.confirmations() >= k) {
                            reachedK.putIfAbsent(v, c.nowMillis());
                        }
                    }
                    int queued = (int) m.broadcastQueue().orderedView().stream()
                            .filter(b -> victim.equals(b.name()) && b.accuser() != null).count();
                    maxQueued[0] = Math.max(maxQueued[0], queued);
                }
                return others.stream().allMatch(v -> c.deadAt(v, victim) != null);
            }, Duration.ofMinutes(2), Duration.ofMillis(10)), "everyone must declare the victim dead");
            for (Map.Entry<String, Map<String, Long>> e : c.deadDeclarations().entrySet()) {
                assertEquals(List.of(victim), List.copyOf(e.getValue().keySet()), e.getKey() + " declared others dead");
            }
            return new SuspicionRun(firstSuspicion[0], c.nowMillis(), reachedK, maxQueued[0]);
        }
    }

    @Test
    void independentSuspicionsSpreadByGossipAndTheTimeoutShrinksToItsMinimum() {
        int n = 50;
        MembershipConfig cfg = MembershipConfig.lan("x");
        long min = ProtocolMath.suspicionTimeout(cfg.suspicionMult(), n, cfg.probeInterval()).toMillis();
        long max = min * cfg.suspicionMaxTimeoutMult();

        SuspicionRun memberlist = killAndWatchSuspicions(false);
        SuspicionRun independent = killAndWatchSuspicions(true);
        System.out.printf("n=%d min %d max %d ms: first suspicion → all dead %d ms (memberlist queue) / %d ms "
                        + "(independent); k confirmations reached by %d / %d nodes, %.0f / %.0f ms after the first "
                        + "suspicion on average; at most %d / %d suspects of the victim queued at one node%n",
                n, min, max, memberlist.allDead() - memberlist.firstSuspicion(),
                independent.allDead() - independent.firstSuspicion(), memberlist.reachedK().size(),
                independent.reachedK().size(), memberlist.meanTimeToK(), independent.meanTimeToK(),
                memberlist.maxQueuedSuspectsOfVictim(), independent.maxQueuedSuspectsOfVictim());

        // The mechanism: memberlist's queue never holds two suspects of one node; ours does, and then
        // every survivor hears k distinct accusers, on average sooner.
        assertEquals(1, memberlist.maxQueuedSuspectsOfVictim());
        assertTrue(independent.maxQueuedSuspectsOfVictim() >= 2);
        assertTrue(independent.maxQueuedSuspectsOfVictim() <= cfg.suspicionMult() - 1, "bounded by k + 1");
        assertEquals(n - 1, independent.reachedK().size(), "every survivor counted k confirmations");
        assertTrue(independent.meanTimeToK() <= memberlist.meanTimeToK(),
                independent.meanTimeToK() + " ms to k confirmations, memberlist queue " + memberlist.meanTimeToK());
        // The effect on detection: the victim is declared dead everywhere within the min timeout plus
        // dissemination, far below the max it would take without confirmations. (With 50 nodes
        // confirmations arrive about once per second, each peer's own failed probe being one, so the
        // memberlist queue gets there as well: its timers too reach k long before min runs out.)
        for (SuspicionRun r : List.of(memberlist, independent)) {
            long detect = r.allDead() - r.firstSuspicion();
            assertTrue(detect < 0.6 * max, detect + " ms, max " + max);
            assertTrue(detect <= min + 2000, detect + " ms, min " + min);
        }
    }

    @Test
    void slowNodeIsSuspectedRefutesAndIsNeverDeclaredDead() {
        try (SimulatedCluster c = new SimulatedCluster(11)) {
            List<String> names = formCluster(c, 20);
            String slow = "n5";
            // Everything n5 sends is 1.5 s late: longer than a whole probe round (direct, indirect and TCP),
            // so its peers cannot get a timely ack and suspect it, though it is alive and hears everything.
            for (String other : without(names, slow)) {
                c.network().delay(slow, other, Duration.ofMillis(1500));
            }
            c.runFor(Duration.ofSeconds(30));
            c.network().heal();
            c.runFor(Duration.ofSeconds(60));

            long refutations = c.node(slow).localNode().incarnation() - 1;
            assertTrue(refutations > 0, "the slow node must have been suspected and have refuted");
            for (String v : without(names, slow)) {
                assertNull(c.deadAt(v, slow), v + " declared the slow node dead");
                assertEquals(NodeStatus.ALIVE, c.node(v).node(slow).status());
                assertEquals(c.node(slow).localNode().incarnation(), c.node(v).node(slow).incarnation());
            }
            assertTrue(c.allSeeAlive(names, 20));
        }
    }

    @Test
    void tenPercentPacketLossForTenMinutesDeclaresNoHealthyNodeDead() {
        // Compression off: it changes no protocol decision, but LZW on ~1M packets would quadruple the run time.
        try (SimulatedCluster c = new SimulatedCluster(3, b -> b.compression(false))) {
            List<String> names = formCluster(c, 50);
            c.network().packetLoss(0.10);
            c.runFor(Duration.ofMinutes(10));
            assertTrue(c.deadDeclarations().isEmpty(), "declared dead: " + c.deadDeclarations());
            assertTrue(c.network().packetsDropped() > 0);
            c.network().heal();
            c.runFor(Duration.ofSeconds(10));
            assertTrue(c.allSeeAlive(names, 50));
        }
    }

    @Test
    void nodeThatHearsNothingIsDeclaredDeadAndNoHealthyNodeIs() {
        try (SimulatedCluster c = new SimulatedCluster(5)) {
            List<String> names = formCluster(c, 20);
            String deaf = "n7";
            List<String> healthy = without(names, deaf);
            // One-way failure: n7 can still send (its accusations reach everyone) but receives nothing.
            c.network().isolateInbound(deaf);
            assertTrue(c.runUntil(() -> healthy.stream().allMatch(v -> c.deadAt(v, deaf) != null),
                    Duration.ofMinutes(2)), "the healthy nodes must declare the deaf node dead");
            for (String v : healthy) {
                assertEquals(19, c.node(v).numMembers(), v + " must see exactly the 19 healthy nodes");
            }
            // Keep going. Note (memberlist behaviour, kept for compatibility): once the dead node is reaped
            // after GossipToTheDeadTime, its next push/pull re-introduces it as a new node, so a deaf node
            // flaps between joined and failed; it can never refute because it never hears the accusation.
            c.runFor(Duration.ofMinutes(2));
            for (String v : healthy) {
                Map<String, Long> declared = c.deadDeclarations().getOrDefault(v, Map.of());
                assertEquals(List.of(deaf), List.copyOf(declared.keySet()), v + " declared a healthy node dead");
                for (String h : healthy) {
                    assertEquals(NodeStatus.ALIVE, c.node(v).node(h).status(), v + " sees " + h);
                }
            }
            // The deaf node's own failure detector backed off (Lifeguard): it missed all nacks.
            assertTrue(c.node(deaf).healthScore() > 0);
        }
    }

    @Test
    void gracefulLeaveIsSeenAsLeftNotFailed() {
        try (SimulatedCluster c = new SimulatedCluster(9)) {
            List<String> names = formCluster(c, 10);
            String leaver = "n3";
            CompletableFuture<Void> left = c.node(leaver).leave(Duration.ofSeconds(5));
            assertTrue(c.runUntil(left::isDone, Duration.ofSeconds(6), Duration.ofMillis(10)));
            assertFalse(left.isCompletedExceptionally(), "the leave broadcast must go out before the timeout");
            c.node(leaver).shutdown();
            List<String> rest = without(names, leaver);
            assertTrue(c.runUntil(() -> rest.stream().allMatch(v -> c.sees(v, leaver, NodeStatus.LEFT)), Duration.ofSeconds(10)));
            c.runFor(Duration.ofSeconds(60));
            for (String v : rest) {
                assertNotNull(c.leftAt(v, leaver));
                assertNull(c.deadAt(v, leaver), v + " saw the leaver fail instead of leave");
                assertEquals(9, c.node(v).numMembers());
            }
        }
    }

    @Test
    void shortPartitionHealsThroughGossipToTheDead() {
        try (SimulatedCluster c = new SimulatedCluster(21)) {
            List<String> names = formCluster(c, 10);
            List<String> left = names.subList(0, 5);
            List<String> right = names.subList(5, 10);
            c.network().partition(left, right);
            assertTrue(c.runUntil(() -> left.stream().allMatch(v -> right.stream().allMatch(r -> c.deadAt(v, r) != null))
                    && right.stream().allMatch(v -> left.stream().allMatch(l -> c.deadAt(v, l) != null)),
                    Duration.ofSeconds(60)), "each side declares the other dead");
            assertTrue(c.allSeeAlive(names, 5));
            // Heal before GossipToTheDeadTime (30 s) runs out: nodes still gossip to the dead, who hear that
            // they were declared dead and refute, so the cluster reassembles without a new join.
            c.network().heal();
            assertTrue(c.runUntil(() -> c.allSeeAlive(names, 10), Duration.ofSeconds(60)),
                    "the cluster must merge back");
        }
    }

    private static List<String> scriptedRun(long seed) {
        try (SimulatedCluster c = new SimulatedCluster(seed)) {
            formCluster(c, 16);
            c.network().packetLoss(0.05);
            c.kill("n9");
            c.runFor(Duration.ofSeconds(40));
            c.node("n2").leave(Duration.ofSeconds(3));
            c.runFor(Duration.ofSeconds(10));
            return List.copyOf(c.trace());
        }
    }

    @Test
    void sameSeedGivesTheSameEventTrace() {
        List<String> a = scriptedRun(1234);
        List<String> b = scriptedRun(1234);
        assertTrue(a.size() > 16 * 16, "the trace must record joins, failures and leaves");
        assertTrue(a.stream().anyMatch(s -> s.contains("leave n9 DEAD")));
        assertTrue(a.stream().anyMatch(s -> s.contains("leave n2 LEFT")));
        assertEquals(a, b);
        assertNotEquals(a, scriptedRun(4321), "a different seed must give a different run");
    }
}
