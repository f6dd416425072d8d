package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state machine driven by hand-built messages, like memberlist's state_test.go, on virtual time.
 */
class MembershipStateTest {
    private static final byte[] VSN = {1, 5, 2, 2, 5, 5};
    private static final byte[] IP1 = {10, 0, 0, 1};
    private static final byte[] IP2 = {10, 0, 0, 2};

    private final VirtualScheduler sched = new VirtualScheduler();
    private final MembershipConfig config = MembershipConfig.lan("self");
    private final Awareness awareness = new Awareness(8);
    private final List<Message> broadcasts = new ArrayList<>();
    private final List<Runnable> finishers = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<String> conflicts = new ArrayList<>();
    private MembershipState state;

    @BeforeEach
    void setUp() {
        EventDelegate ev = new EventDelegate() {
            @Override
            public void notifyJoin(Node node) {
                events.add("join " + node.name());
            }

            @Override
            public void notifyLeave(Node node) {
                events.add("leave " + node.name() + " " + node.status());
            }

            @Override
            public void notifyUpdate(Node node) {
                events.add("update " + node.name());
            }
        };
        Delegates d = Delegates.none().withEvents(ev)
                .withConflict((existing, other) -> conflicts.add(existing.name()));
        state = new MembershipState(config, sched, new Random(1), awareness, (node, msg, finished) -> {
            broadcasts.add(msg);
            finishers.add(finished);
        }, d);
        state.aliveNode(new Alive(state.nextIncarnation(), "self", IP1, 7946, new byte[0], VSN), null, true);
        broadcasts.clear();
        events.clear();
    }

    private static Alive alive(String node, long inc) {
        return alive(node, inc, new byte[0]);
    }

    private static Alive alive(String node, long inc, byte[] meta) {
        return new Alive(inc, node, IP2, 7946 + node.length(), meta, VSN);
    }

    /** a..e alive at incarnation 1: with us, n = 6, so k = 2 confirmations and the timer starts at max = 6 × 4 s. */
    private void fiveAliveAtIncarnationOne() {
        for (String n : List.of("a", "b", "c", "d", "e")) {
            state.aliveNode(alive(n, 1), null, false);
        }
    }

    private NodeStatus status(String name) {
        return state.get(name).status();
    }

    private Message lastBroadcast() {
        return broadcasts.get(broadcasts.size() - 1);
    }

    @Test
    void startupAliveOfOurselves() {
        NodeState me = state.get("self");
        assertEquals(NodeStatus.ALIVE, me.status());
        assertEquals(1, me.incarnation());
        assertEquals(1, state.numMembers());
    }

    @Test
    void newNodeJoinsAndIsRebroadcast() {
        state.aliveNode(alive("a", 1), null, false);
        assertEquals(NodeStatus.ALIVE, status("a"));
        assertEquals(List.of("join a"), events);
        assertTrue(lastBroadcast() instanceof Alive);
        assertEquals(2, state.numNodes());
        assertEquals(2, state.members().size());
    }

    @Test
    void aliveNeedsAStrictlyHigherIncarnation() {
        state.aliveNode(alive("a", 2), null, false);
        broadcasts.clear();
        state.aliveNode(alive("a", 2, new byte[] {9}), null, false);
        assertEquals(0, state.get("a").meta().length, "equal incarnation is old news");
        state.aliveNode(alive("a", 1, new byte[] {9}), null, false);
        assertTrue(broadcasts.isEmpty());
        state.aliveNode(alive("a", 3, new byte[] {9}), null, false);
        assertEquals(1, state.get("a").meta().length);
        assertEquals(List.of("join a", "update a"), events);
        assertEquals(1, broadcasts.size());
    }

    @Test
    void aliveWithBadVersionsIsIgnored() {
        state.aliveNode(new Alive(1, "a", IP2, 1, new byte[0], new byte[] {0, 5, 2, 2, 5, 5}), null, false);
        state.aliveNode(new Alive(1, "b", IP2, 1, new byte[0], new byte[] {3, 2, 2, 2, 5, 5}), null, false);
        assertNull(state.get("a"));
        assertNull(state.get("b"));
    }

    @Test
    void aliveForALiveNameAtAnotherAddressIsAConflict() {
        state.aliveNode(alive("a", 1), null, false);
        state.aliveNode(new Alive(5, "a", new byte[] {10, 9, 9, 9}, 1, new byte[0], VSN), null, false);
        assertEquals(List.of("a"), conflicts);
        assertEquals(1, state.get("a").incarnation());
    }

    @Test
    void leftNodeMayComeBackAtANewAddress() {
        state.aliveNode(alive("a", 1), null, false);
        state.deadNode(new Dead(1, "a", "a"));
        state.aliveNode(new Alive(1, "a", new byte[] {10, 9, 9, 9}, 1, new byte[0], VSN), null, false);
        assertEquals(NodeStatus.ALIVE, status("a"));
        assertEquals(10 + 9 + 9 + 9, sum(state.get("a").addr()));
        assertEquals(List.of("join a", "leave a LEFT", "join a"), events);
    }

    private static int sum(byte[] b) {
        int s = 0;
        for (byte x : b) {
            s += x;
        }
        return s;
    }

    @Test
    void ourOwnAliveEchoedBackIsIgnoredButADifferentOneIsRefuted() {
        state.aliveNode(new Alive(1, "self", IP1, 7946, new byte[0], VSN), null, false);
        assertTrue(broadcasts.isEmpty());
        state.aliveNode(new Alive(1, "self", IP1, 7946, new byte[] {1}, VSN), null, false);
        Alive refute = (Alive) lastBroadcast();
        assertEquals(2, refute.incarnation());
        assertEquals(0, refute.meta().length, "refutation carries our real meta");
        assertEquals(1, awareness.score());
    }

    @Test
    void suspectIsIgnoredForUnknownOrOlderIncarnations() {
        state.suspectNode(new Suspect(1, "nobody", "x"));
        state.aliveNode(alive("a", 5), null, false);
        broadcasts.clear();
        state.suspectNode(new Suspect(4, "a", "x"));
        assertEquals(NodeStatus.ALIVE, status("a"));
        assertTrue(broadcasts.isEmpty());
    }

    @Test
    void suspectWithEqualIncarnationLeadsToDeadAfterTheMinTimeoutInASmallCluster() {
        state.aliveNode(alive("a", 1), null, false);
        state.aliveNode(alive("b", 1), null, false);
        state.suspectNode(new Suspect(1, "a", "b"));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        assertTrue(lastBroadcast() instanceof Suspect);
        // n = 3 → k = 0: starts at min = 4 × 1 s.
        sched.runFor(Duration.ofMillis(3999));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        sched.runFor(Duration.ofMillis(1));
        assertEquals(NodeStatus.DEAD, status("a"));
        Dead d = (Dead) lastBroadcast();
        assertEquals("self", d.from());
        assertTrue(events.contains("leave a DEAD"));
    }

    @Test
    void aTimedOutSuspectThatAnswersTheLastPingIsSuspectedAgainAndOneThatDoesNotIsDead() {
        List<String> asked = new ArrayList<>();
        boolean[] answers = {true};
        state.lastChance((node, silent, answered) -> {
            asked.add(node.name);
            (answers[0] ? answered : silent).run();
        });
        state.aliveNode(alive("a", 1), null, false);
        state.aliveNode(alive("b", 1), null, false);
        state.suspectNode(new Suspect(1, "a", "b"));
        sched.runFor(Duration.ofSeconds(4)); // n = 3: min timeout 4 s
        assertEquals(List.of("a"), asked);
        assertEquals(NodeStatus.SUSPECT, status("a"), "it answered: still only suspected");
        assertTrue(events.stream().noneMatch(e -> e.startsWith("leave a")), events.toString());
        answers[0] = false;
        sched.runFor(Duration.ofSeconds(4)); // a new whole timeout, then the last ping again
        assertEquals(List.of("a", "a"), asked);
        assertEquals(NodeStatus.DEAD, status("a"));
        assertTrue(events.contains("leave a DEAD"));
    }

    @Test
    void anUnhealthyNodeWaitsLongerBeforeFailingASuspect() {
        state.aliveNode(alive("a", 1), null, false);
        state.aliveNode(alive("b", 1), null, false);
        awareness.applyDelta(2); // health score 2: timeouts × 3
        state.suspectNode(new Suspect(1, "a", "b"));
        awareness.applyDelta(-2); // recovering later does not shorten a suspicion already running
        sched.runFor(Duration.ofMillis(11_999)); // n = 3: nominal min timeout 4 s, here 12 s
        assertEquals(NodeStatus.SUSPECT, status("a"));
        sched.runFor(Duration.ofMillis(1));
        assertEquals(NodeStatus.DEAD, status("a"));

        // Healthy again: the nominal 4 s.
        state.aliveNode(alive("a", 2), null, false);
        state.suspectNode(new Suspect(2, "a", "b"));
        sched.runFor(Duration.ofMillis(3999));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        sched.runFor(Duration.ofMillis(1));
        assertEquals(NodeStatus.DEAD, status("a"));
    }

    @Test
    void aliveWithHigherIncarnationClearsTheSuspicion() {
        state.aliveNode(alive("a", 1), null, false);
        state.suspectNode(new Suspect(1, "a", "b"));
        state.aliveNode(alive("a", 1), null, false);
        assertEquals(NodeStatus.SUSPECT, status("a"), "equal incarnation does not refute");
        state.aliveNode(alive("a", 2), null, false);
        assertEquals(NodeStatus.ALIVE, status("a"));
        assertNull(state.suspicion("a"));
        sched.runFor(Duration.ofMinutes(1));
        assertEquals(NodeStatus.ALIVE, status("a"));
    }

    @Test
    void independentConfirmationsAreRegossipedOnce() {
        fiveAliveAtIncarnationOne();
        // n = 6, LAN suspicionMult 4 → k = 2, starts at max = 6 × 4 s.
        state.suspectNode(new Suspect(1, "a", "b"));
        Suspicion s = state.suspicion("a");
        assertNotNull(s);
        broadcasts.clear();
        state.suspectNode(new Suspect(1, "a", "b"));
        assertTrue(broadcasts.isEmpty(), "the accuser is not a confirmation");
        state.suspectNode(new Suspect(1, "a", "c"));
        assertEquals(1, broadcasts.size());
        state.suspectNode(new Suspect(1, "a", "c"));
        assertEquals(1, broadcasts.size());
        assertEquals(1, s.confirmations());
        state.suspectNode(new Suspect(1, "a", "d"));
        assertEquals(2, s.confirmations());
        // With k confirmations the timeout is min = 4 s from the start of the suspicion.
        sched.runFor(Duration.ofMillis(3999));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        sched.runFor(Duration.ofMillis(1));
        assertEquals(NodeStatus.DEAD, status("a"));
    }

    @Test
    void aSuspicionAtAHigherIncarnationIsANewSuspicionNotAConfirmationOfTheRefutedOne() {
        fiveAliveAtIncarnationOne();
        state.suspectNode(new Suspect(1, "a", "b"));
        Suspicion first = state.suspicion("a");
        // a refuted with alive 2, which we missed; c suspects it again at 2 and gossips that instead.
        broadcasts.clear();
        state.suspectNode(new Suspect(2, "a", "c"));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        assertEquals(2, state.get("a").incarnation(), "the view moves to the incarnation a refuted with");
        Suspicion second = state.suspicion("a");
        assertNotNull(second);
        assertTrue(first != second, "a new suspicion, not a confirmation of the refuted one");
        assertEquals(0, second.confirmations());
        assertEquals(2, ((Suspect) lastBroadcast()).incarnation());
        // Its confirmations count as usual.
        state.suspectNode(new Suspect(2, "a", "d"));
        assertEquals(1, second.confirmations());
        // a refutes again; we do get that alive this time, and the node stays alive although the first
        // suspicion's timeout (with its k confirmations: min = 4 s) has long passed.
        state.aliveNode(alive("a", 3), null, false);
        sched.runFor(Duration.ofMinutes(1));
        assertEquals(NodeStatus.ALIVE, status("a"));
        assertTrue(events.stream().noneMatch(e -> e.startsWith("leave a")), events.toString());
    }

    @Test
    void aRenewedSuspicionStillFailsASilentNodeAtTheNewIncarnation() {
        fiveAliveAtIncarnationOne();
        state.suspectNode(new Suspect(1, "a", "b"));
        state.suspectNode(new Suspect(2, "a", "c"));
        state.suspectNode(new Suspect(2, "a", "d"));
        state.suspectNode(new Suspect(2, "a", "e"));
        // k = 2 confirmations (d, e): the minimum timeout, 4 s, from the start of the new suspicion.
        sched.runFor(Duration.ofMillis(3999));
        assertEquals(NodeStatus.SUSPECT, status("a"));
        sched.runFor(Duration.ofMillis(1));
        assertEquals(NodeStatus.DEAD, status("a"));
        assertEquals(2, ((Dead) lastBroadcast()).incarnation());
        assertTrue(events.contains("leave a DEAD"));
    }

    @Test
    void suspicionAboutUsIsRefutedAboveTheAccusation() {
        state.suspectNode(new Suspect(7, "self", "a"));
        assertEquals(NodeStatus.ALIVE, status("self"));
        Alive a = (Alive) lastBroadcast();
        assertEquals(8, a.incarnation());
        assertEquals(8, state.get("self").incarnation());
        assertEquals(1, awareness.score());
        // Next refutation goes one above our own counter.
        state.suspectNode(new Suspect(1, "self", "a"));
        assertEquals(NodeStatus.ALIVE, status("self"));
        state.suspectNode(new Suspect(8, "self", "a"));
        assertEquals(9, ((Alive) lastBroadcast()).incarnation());
    }

    @Test
    void deadRules() {
        state.aliveNode(alive("a", 3), null, false);
        state.deadNode(new Dead(2, "a", "b"));
        assertEquals(NodeStatus.ALIVE, status("a"), "older incarnation is ignored");
        state.deadNode(new Dead(3, "a", "b"));
        assertEquals(NodeStatus.DEAD, status("a"), "dead needs only an equal incarnation");
        broadcasts.clear();
        state.deadNode(new Dead(4, "a", "a"));
        assertEquals(NodeStatus.DEAD, status("a"), "already dead");
        assertTrue(broadcasts.isEmpty());
        state.aliveNode(alive("a", 4), null, false);
        assertEquals(NodeStatus.ALIVE, status("a"));
    }

    @Test
    void deadFromTheNodeItselfMeansLeft() {
        state.aliveNode(alive("a", 1), null, false);
        state.deadNode(new Dead(1, "a", "a"));
        assertEquals(NodeStatus.LEFT, status("a"));
        assertEquals(List.of("join a", "leave a LEFT"), events);
        assertEquals(1, state.numMembers());
    }

    @Test
    void deadAboutUsIsRefutedUnlessWeAreLeaving() {
        state.deadNode(new Dead(1, "self", "a"));
        assertEquals(NodeStatus.ALIVE, status("self"));
        assertEquals(2, ((Alive) lastBroadcast()).incarnation());

        state.aliveNode(alive("a", 1), null, false);
        Runnable done = () -> events.add("left-broadcast-done");
        Dead applied = state.leave(done);
        assertNotNull(applied);
        assertEquals(NodeStatus.LEFT, status("self"));
        Dead d = (Dead) lastBroadcast();
        assertSame(applied, d, "the dead message returned is the one broadcast");
        assertEquals("self", d.from());
        assertEquals("self", d.node());
        assertSame(done, finishers.get(finishers.size() - 1));
        // While leaving, alives about us (e.g. queued before the leave) are ignored.
        broadcasts.clear();
        state.aliveNode(new Alive(9, "self", IP1, 7946, new byte[0], VSN), null, false);
        assertEquals(NodeStatus.LEFT, status("self"));
        assertTrue(broadcasts.isEmpty());
    }

    @Test
    void mergeDowngradesDeadToSuspectAndKeepsLeft() {
        List<PushNodeState> remote = List.of(
                new PushNodeState("a", IP2, 1, new byte[0], 1, NodeStatus.ALIVE.wireValue(), VSN),
                new PushNodeState("b", IP2, 2, new byte[0], 1, NodeStatus.ALIVE.wireValue(), VSN),
                new PushNodeState("c", IP2, 3, new byte[0], 1, NodeStatus.ALIVE.wireValue(), VSN));
        state.mergeState(remote);
        assertEquals(4, state.numMembers());
        state.mergeState(List.of(
                new PushNodeState("a", IP2, 1, new byte[0], 1, NodeStatus.DEAD.wireValue(), VSN),
                new PushNodeState("b", IP2, 2, new byte[0], 1, NodeStatus.LEFT.wireValue(), VSN),
                new PushNodeState("c", IP2, 3, new byte[0], 1, NodeStatus.SUSPECT.wireValue(), VSN),
                new PushNodeState("self", IP1, 7946, new byte[0], 1, NodeStatus.DEAD.wireValue(), VSN)));
        assertEquals(NodeStatus.SUSPECT, status("a"), "remote dead is only a suspicion here");
        assertEquals(NodeStatus.LEFT, status("b"));
        assertEquals(NodeStatus.SUSPECT, status("c"));
        assertEquals(NodeStatus.ALIVE, status("self"), "we refute a remote claim that we are dead");
        assertEquals(2, state.get("self").incarnation());
        Suspect s = null;
        for (Message m : broadcasts) {
            if (m instanceof Suspect x && x.node().equals("a")) {
                s = x;
            }
        }
        assertNotNull(s);
        assertEquals("self", s.from(), "the suspicion is ours");
    }

    @Test
    void verifyProtocolRejectsIncompatibleVersions() {
        List<PushNodeState> ok = List.of(new PushNodeState("a", IP2, 1, new byte[0], 1, 0, VSN));
        assertNull(state.verifyProtocol(ok));
        List<PushNodeState> bad = List.of(new PushNodeState("a", IP2, 1, new byte[0], 1, 0, new byte[] {3, 5, 3, 2, 5, 5}));
        assertNotNull(state.verifyProtocol(bad), "we speak 2, they need at least 3");
        List<PushNodeState> noVsn = List.of(new PushNodeState("a", IP2, 1, new byte[0], 1, 2, new byte[0]));
        assertNotNull(state.verifyProtocol(noVsn), "a node without versions counts as version 0");
    }

    @Test
    void resetNodesForgetsTheLongDeadButNotTheLeft() {
        state.aliveNode(alive("a", 1), null, false);
        state.aliveNode(alive("b", 1), null, false);
        state.deadNode(new Dead(1, "a", "x"));
        state.deadNode(new Dead(1, "b", "b"));
        sched.runFor(config.gossipToTheDeadTime());
        state.resetNodes();
        assertNotNull(state.get("a"), "not older than GossipToTheDeadTime yet");
        sched.runFor(Duration.ofMillis(1));
        state.resetNodes();
        assertNull(state.get("a"));
        assertNotNull(state.get("b"), "memberlist 0.2.2 keeps left nodes");
        assertEquals(2, state.numNodes());
        assertFalse(state.allNodes().stream().anyMatch(n -> n.name().equals("a")));
    }
}
