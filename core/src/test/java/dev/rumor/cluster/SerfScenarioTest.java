package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.coordinate.Coordinate;
import dev.rumor.security.Keyring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Small-cluster simulation scenarios: failure handling, anti-entropy, internal queries, coordinates. */
class SerfScenarioTest {
    private SimulatedCluster sim;

    private void start(int n, long seed, java.util.function.Function<ClusterConfig, ClusterConfig> tweak) {
        sim = new SimulatedCluster(seed);
        for (int i = 0; i < n; i++) {
            sim.add("n" + i, Map.of("i", Integer.toString(i)), tweak);
        }
        sim.joinAll();
        assertTrue(sim.runUntil(() -> sim.allSeeAlive(n), Duration.ofSeconds(30)), "converged");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private boolean everywhere(String about, MemberStatus status, String except) {
        return sim.nodes.values().stream().filter(c -> !c.nodeName().equals(except))
                .allMatch(c -> c.member(about) != null && c.member(about).status() == status);
    }

    @Test
    void crashedNodeIsFailedThenForceLeaveMakesItLeftAndPruneReapsIt() {
        start(5, 1, c -> c);
        sim.nodes.get("n4").shutdown();
        assertTrue(sim.runUntil(() -> everywhere("n4", MemberStatus.FAILED, "n4"), Duration.ofSeconds(60)), "failed");
        sim.await(sim.nodes.get("n0").forceLeave("n4", false), Duration.ofSeconds(10));
        assertTrue(sim.runUntil(() -> everywhere("n4", MemberStatus.LEFT, "n4"), Duration.ofSeconds(10)), "left");
        sim.await(sim.nodes.get("n1").forceLeave("n4", true), Duration.ofSeconds(10));
        assertTrue(sim.runUntil(() -> sim.nodes.values().stream().filter(c -> !c.nodeName().equals("n4"))
                .allMatch(c -> c.member("n4") == null), Duration.ofSeconds(10)), "pruned");
        for (String n : List.of("n0", "n1", "n2", "n3")) {
            assertTrue(sim.events.get(n).stream().anyMatch(e -> e.type() == ClusterEvent.Type.MEMBER_REAP), n);
        }
    }

    /**
     * Serf's push/pull merge raises a left member's status time by one per exchange, so two peers that sync
     * after a leave hold a status time the pruning node never saw. serf stamps a prune with its clock as is,
     * and such peers drop it as stale: the member stays "left" there for a day.
     */
    private void leaveThenRatchet(int exchanges) {
        start(5, 21, c -> c);
        sim.await(sim.nodes.get("n4").leave(), Duration.ofSeconds(30));
        assertTrue(sim.runUntil(() -> everywhere("n4", MemberStatus.LEFT, "n4"), Duration.ofSeconds(10)), "left");
        Cluster a = sim.nodes.get("n1");
        Cluster b = sim.nodes.get("n2");
        for (int i = 0; i < exchanges; i++) {
            b.mergeRemoteState(a.localState(), false);
            a.mergeRemoteState(b.localState(), false);
        }
        long pruner = sim.nodes.get("n0").memberClockTime();
        assertTrue(b.memberClockTime() >= pruner + 2 * exchanges - 2, "peers ran ahead: " + b.memberClockTime()
                + " vs " + pruner);
    }

    private boolean prunedEverywhere() {
        return sim.nodes.entrySet().stream().filter(e -> !e.getKey().equals("n4"))
                .allMatch(e -> e.getValue().member("n4") == null);
    }

    @Test
    void aPruneIsStampedAheadOfPeersThatSyncedAfterTheLeave() {
        leaveThenRatchet(3);
        sim.await(sim.nodes.get("n0").forceLeave("n4", true), Duration.ofSeconds(10));
        // by the time the prune was fully transmitted, with no push/pull needed
        assertTrue(prunedEverywhere(), "pruned at the peers that synced");
    }

    @Test
    void aPruneDroppedByAPeerIsSentAgainWhenThatPeerStillListsTheMember() {
        leaveThenRatchet((int) Cluster.PRUNE_LEAD + 4);
        sim.await(sim.nodes.get("n0").forceLeave("n4", true), Duration.ofSeconds(10));
        assertTrue(sim.nodes.get("n2").member("n4") != null, "n2 dropped the prune as stale");
        // the next push/pull from n2 shows n0 that n2 still keeps n4
        sim.nodes.get("n0").mergeRemoteState(sim.nodes.get("n2").localState(), false);
        assertTrue(sim.runUntil(this::prunedEverywhere, Duration.ofSeconds(10)), "pruned again, now everywhere");
    }

    @Test
    void failedMembersAreReapedAfterTheReconnectTimeout() {
        start(3, 2, c -> c.withTimings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(20)));
        sim.nodes.get("n2").shutdown();
        assertTrue(sim.runUntil(() -> everywhere("n2", MemberStatus.FAILED, "n2"), Duration.ofSeconds(60)));
        long failedAt = sim.time.nanoTime();
        assertTrue(sim.runUntil(() -> sim.nodes.get("n0").member("n2") == null
                && sim.nodes.get("n1").member("n2") == null, Duration.ofSeconds(30)), "reaped");
        long after = sim.time.nanoTime() - failedAt;
        assertTrue(after >= Duration.ofSeconds(18).toNanos(), "not before the timeout: " + after / 1e9 + " s");
        assertTrue(sim.events.get("n0").stream().anyMatch(e -> e.type() == ClusterEvent.Type.MEMBER_REAP));
    }

    @Test
    void aRestartedFailedNodeIsReconnectedByItsPeers() {
        start(3, 12, c -> c.withTimings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofHours(24),
                Duration.ofHours(24)));
        sim.nodes.get("n2").shutdown();
        assertTrue(sim.runUntil(() -> everywhere("n2", MemberStatus.FAILED, "n2"), Duration.ofSeconds(60)));
        // restart at the same address, without joining anyone: only the peers' reconnect can bring it back
        sim.nodes.remove("n2");
        Cluster again = sim.add("n2", Map.of("i", "2"));
        assertTrue(sim.runUntil(() -> everywhere("n2", MemberStatus.ALIVE, null)
                && again.members().size() == 3, Duration.ofSeconds(60)), "reconnected");
    }

    @Test
    void aLeaveIntentAboutALiveNodeIsRefuted() {
        start(3, 3, c -> c);
        sim.await(sim.nodes.get("n0").forceLeave("n2", false), Duration.ofSeconds(10));
        sim.time.runFor(Duration.ofSeconds(5));
        assertTrue(everywhere("n2", MemberStatus.ALIVE, null), "refuted with a newer join intent");
    }

    @Test
    void pushPullReplaysOldEventsOnlyWhenAskedTo() {
        start(3, 4, c -> c);
        sim.await(sim.nodes.get("n0").userEvent("old", null, false), Duration.ofSeconds(1));
        sim.time.runFor(Duration.ofSeconds(5));
        Cluster replay = sim.add("replayer", Map.of());
        Cluster fresh = sim.add("fresh", Map.of());
        sim.await(replay.join(List.of(sim.network.address("n1")), false), Duration.ofSeconds(10));
        sim.await(fresh.join(List.of(sim.network.address("n1")), true), Duration.ofSeconds(10));
        sim.time.runFor(Duration.ofSeconds(5));
        assertEquals(1, sim.events.get("replayer").stream().filter(e -> e instanceof ClusterEvent.UserEvent).count());
        ClusterEvent.UserEvent ue = (ClusterEvent.UserEvent) sim.events.get("replayer").stream()
                .filter(e -> e instanceof ClusterEvent.UserEvent).findFirst().orElseThrow();
        assertEquals("old", ue.name());
        assertTrue(!ue.coalesce(), "replayed events are never coalesced");
        assertEquals(0, sim.events.get("fresh").stream().filter(e -> e instanceof ClusterEvent.UserEvent).count());
        // clocks were witnessed through the push/pull
        assertTrue(Long.parseLong(fresh.stats().get("event_time")) >= 2);
    }

    @Test
    void aRestartRestoredFromASnapshotDoesNotReplayWhatItAlreadySaw() {
        start(3, 13, c -> c);
        sim.await(sim.nodes.get("n0").userEvent("seen-before", null, false), Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> sim.events.get("n2").stream().anyMatch(e -> e instanceof ClusterEvent.UserEvent),
                Duration.ofSeconds(10)));
        ClusterEvent.UserEvent seen = (ClusterEvent.UserEvent) sim.events.get("n2").stream()
                .filter(e -> e instanceof ClusterEvent.UserEvent).findFirst().orElseThrow();
        // n2 crashes; its snapshot recorded the event clock
        SnapshotState snap = new SnapshotState(false);
        snap.apply("event-clock: " + seen.ltime());
        snap.apply("clock: 3");
        sim.nodes.get("n2").shutdown();
        sim.time.runFor(Duration.ofSeconds(1));
        sim.nodes.remove("n2");
        Cluster again = sim.add("n2", Map.of());
        sim.await(again.restore(snap), Duration.ofSeconds(1));
        assertTrue(Long.parseLong(again.stats().get("member_time")) >= 4, "clock restored");
        sim.await(again.join(List.of(sim.network.address("n0")), false), Duration.ofSeconds(10));  // with replay
        sim.await(sim.nodes.get("n1").userEvent("after-restart", null, false), Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> sim.events.get("n2").stream()
                .anyMatch(e -> e instanceof ClusterEvent.UserEvent u && u.name().equals("after-restart")),
                Duration.ofSeconds(10)));
        assertEquals(0, sim.events.get("n2").stream()  // the restarted node's own event log
                .filter(e -> e instanceof ClusterEvent.UserEvent u && u.name().equals("seen-before")).count(),
                "not delivered a second time despite the replaying join");
    }

    @Test
    void pingQueryIsAckedByEveryNodeAndNeverReachesHandlers() {
        start(4, 5, c -> c);
        QueryResponses r = sim.await(sim.nodes.get("n0").query(InternalQueries.PING, null,
                QueryParams.defaults().withRequestAck(true).withRelayFactor(2)), Duration.ofSeconds(1));
        sim.await(r.done(), Duration.ofSeconds(10));
        assertEquals(4, r.acks().size());
        assertEquals(0, r.responses().size());
        for (List<ClusterEvent> l : sim.events.values()) {
            assertTrue(l.stream().noneMatch(e -> e instanceof ClusterEvent.QueryEvent));
        }
    }

    @Test
    void relayedResponsesGetThroughWhenTheDirectPathIsBlocked() {
        start(5, 14, c -> c);
        sim.onEvent = (n, e) -> {
            if (e instanceof ClusterEvent.QueryEvent q && q.query().name().equals("via")) {
                q.query().respond(n.getBytes(StandardCharsets.UTF_8));
            }
        };
        sim.network.block("n4", "n0");  // n4 can hear n0 (and everyone) but cannot answer n0 directly
        QueryResponses direct = sim.await(sim.nodes.get("n0").query("via", null,
                QueryParams.defaults().withFilterNodes(List.of("n4")).withTimeout(Duration.ofSeconds(2))),
                Duration.ofSeconds(1));
        sim.await(direct.done(), Duration.ofSeconds(5));
        assertEquals(List.of(), direct.responses(), "no relay, no answer");
        QueryResponses relayed = sim.await(sim.nodes.get("n0").query("via", null,
                QueryParams.defaults().withFilterNodes(List.of("n4")).withRelayFactor(2).withRequestAck(true)
                        .withTimeout(Duration.ofSeconds(2))), Duration.ofSeconds(1));
        sim.await(relayed.done(), Duration.ofSeconds(5));
        assertEquals(List.of(new NodeResponse("n4", "n4".getBytes(StandardCharsets.UTF_8))), relayed.responses());
        assertEquals(java.util.Set.of("n4"), relayed.acks());
        sim.network.heal();
    }

    @Test
    void conflictQueryAnswersWhatEachNodeKnows() throws Exception {
        start(3, 6, c -> c);
        QueryResponses r = sim.await(sim.nodes.get("n0").query(InternalQueries.CONFLICT,
                "n1".getBytes(StandardCharsets.UTF_8), QueryParams.defaults()), Duration.ofSeconds(1));
        sim.await(r.done(), Duration.ofSeconds(10));
        // n1 does not answer about itself; n0 and n2 describe n1
        assertEquals(2, r.responses().size());
        for (NodeResponse resp : r.responses()) {
            SerfMessage.ConflictResponse c = (SerfMessage.ConflictResponse) SerfCodec.decode(resp.payload());
            assertEquals("n1", c.member().name());
            assertEquals(sim.network.address("n1").getPort(), c.member().port());
            assertEquals(MemberStatus.ALIVE.wireValue(), c.member().status());
        }
    }

    @Test
    void keyRotationAcrossTheClusterWithEncryptionOn() throws Exception {
        byte[] k1 = new byte[16];
        byte[] k2 = new byte[32];
        k2[0] = 7;
        start(3, 7, c -> {
            try {
                return c.withKeyring(Keyring.of(k1), null);
            } catch (dev.rumor.security.KeyringException e) {
                throw new IllegalStateException(e);
            }
        });
        KeyManager km = sim.nodes.get("n2").keyManager();
        String b1 = Base64.getEncoder().encodeToString(k1);
        String b2 = Base64.getEncoder().encodeToString(k2);
        KeyManager.Result install = sim.await(km.installKey(b2), Duration.ofSeconds(10));
        assertNull(install.error(), install.toString());
        assertEquals(3, install.numResp());
        KeyManager.Result use = sim.await(km.useKey(b2), Duration.ofSeconds(10));
        assertNull(use.error(), use.toString());
        KeyManager.Result removeOld = sim.await(km.removeKey(b1), Duration.ofSeconds(10));
        assertNull(removeOld.error(), removeOld.toString());
        KeyManager.Result list = sim.await(km.listKeys(), Duration.ofSeconds(10));
        assertNull(list.error(), list.toString());
        assertEquals(Map.of(b2, 3), list.keys());
        assertEquals(Map.of(b2, 3), list.primaryKeys());
        KeyManager.Result removePrimary = sim.await(km.removeKey(b2), Duration.ofSeconds(10));
        assertEquals("3/3 nodes reported failure", removePrimary.error());
        // still talking after the rotation
        sim.await(sim.nodes.get("n0").userEvent("after-rotation", null, false), Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> sim.events.values().stream().allMatch(l -> l.stream()
                .anyMatch(e -> e instanceof ClusterEvent.UserEvent u && u.name().equals("after-rotation"))),
                Duration.ofSeconds(10)));
    }

    @Test
    void keyQueriesWithoutEncryptionReportFailure() {
        start(2, 8, c -> c);
        KeyManager.Result r = sim.await(sim.nodes.get("n0").keyManager().listKeys(), Duration.ofSeconds(10));
        assertEquals("2/2 nodes reported failure", r.error());
        assertEquals("Keyring is empty (encryption not enabled)", r.messages().get("n1"));
    }

    @Test
    void coordinatesTrackTheNetworkLatency() {
        start(4, 9, c -> c);
        sim.time.runFor(Duration.ofSeconds(60));
        Cluster a = sim.nodes.get("n0");
        Coordinate other = a.cachedCoordinate("n3");
        assertNotNull(other, "learned from acks");
        Duration est = a.coordinate().distanceTo(other);
        // in-memory latency is 1 ms each way: RTT ≈ 2 ms
        assertTrue(est.toNanos() > 500_000 && est.toNanos() < 10_000_000, "estimate " + est);
    }

    @Test
    void userApiErrorsUseSerfMessages() {
        start(2, 10, c -> c);
        Cluster a = sim.nodes.get("n0");
        CompletionException e = assertThrows(CompletionException.class,
                () -> sim.await(a.userEvent("big", new byte[600], false), Duration.ofSeconds(1)));
        assertEquals("user event exceeds configured limit of 512 bytes before encoding", e.getCause().getMessage());
        e = assertThrows(CompletionException.class,
                () -> sim.await(a.query("big", new byte[1100], null), Duration.ofSeconds(1)));
        assertEquals("query exceeds limit of 1024 bytes", e.getCause().getMessage());
        e = assertThrows(CompletionException.class,
                () -> sim.await(a.setTags(Map.of("t", "x".repeat(600))), Duration.ofSeconds(1)));
        assertEquals("Encoded length of tags exceeds limit of 512 bytes", e.getCause().getMessage());
    }

    @Test
    void respondingTwiceOrLateFails() {
        start(2, 11, c -> c);
        IncomingQuery[] got = new IncomingQuery[1];
        sim.onEvent = (n, e) -> {
            if (n.equals("n1") && e instanceof ClusterEvent.QueryEvent q) {
                got[0] = q.query();
            }
        };
        QueryResponses r = sim.await(sim.nodes.get("n0").query("q", null,
                QueryParams.defaults().withTimeout(Duration.ofSeconds(2))), Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> got[0] != null, Duration.ofSeconds(2)));
        got[0].respond("one".getBytes(StandardCharsets.UTF_8));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> got[0].respond(null));
        assertEquals("failed to respond to key query: response already sent", twice.getMessage());
        IllegalStateException big = assertThrows(IllegalStateException.class, () -> got[0].respond(new byte[1100]));
        assertEquals("failed to respond to key query: response exceeds limit of 1024 bytes", big.getMessage());
        sim.await(r.done(), Duration.ofSeconds(5));
        assertEquals(List.of("n1"), r.responses().stream().map(NodeResponse::from).toList());
        IncomingQuery[] late = new IncomingQuery[1];
        sim.onEvent = (n, e) -> {
            if (n.equals("n1") && e instanceof ClusterEvent.QueryEvent q) {
                late[0] = q.query();
            }
        };
        sim.await(sim.nodes.get("n0").query("q2", null, QueryParams.defaults().withTimeout(Duration.ofSeconds(1))),
                Duration.ofSeconds(1));
        assertTrue(sim.runUntil(() -> late[0] != null, Duration.ofSeconds(2)));
        sim.time.runFor(Duration.ofSeconds(2));
        IllegalStateException past = assertThrows(IllegalStateException.class, () -> late[0].respond(null));
        assertEquals("failed to respond to key query: response is past the deadline", past.getMessage());
    }
}
