package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.time.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link MembershipState} stores members (what the simulation's N² views cost): the published
 * {@link Node} is the stored one, unchanged values keep their arrays, and an {@link Interner} shares
 * values across views.
 */
class MemberStorageTest {
    private static final byte[] VSN = {1, 5, 2, 2, 5, 5};

    private final VirtualScheduler sched = new VirtualScheduler();
    private final List<Node> joined = new ArrayList<>();

    private MembershipState view(String self, Interner interner) {
        MembershipConfig config = MembershipConfig.lan(self).toBuilder().interner(interner).build();
        EventDelegate ev = new EventDelegate() {
            @Override
            public void notifyJoin(Node node) {
                joined.add(node);
            }
        };
        MembershipState s = new MembershipState(config, sched, new Random(1), new Awareness(8),
                (node, msg, finished) -> { }, Delegates.none().withEvents(ev));
        s.aliveNode(new Alive(s.nextIncarnation(), self, new byte[] {10, 0, 0, 1}, 7946, new byte[0], VSN), null, true);
        return s;
    }

    /** An alive as a peer would decode it: every array (and the name) a fresh object. */
    private static Alive decoded(String name, long inc, int metaByte) {
        return new Alive(inc, new String(name.toCharArray()), new byte[] {10, 0, 0, 2}, 7946,
                new byte[] {(byte) metaByte}, VSN.clone());
    }

    @Test
    void theStoredNodeIsPublishedAndUnchangedValuesKeepTheirArrays() {
        MembershipState s = view("self", Interner.NONE);
        s.aliveNode(decoded("a", 1, 7), null, false);
        Node n1 = s.member("a");
        assertSame(n1, joined.get(joined.size() - 1), "the join event and the readers get the stored node");
        assertSame(n1, s.get("a").node());

        s.aliveNode(decoded("a", 1, 7), null, false);
        assertSame(n1, s.member("a"), "old news rebuilds nothing");

        s.aliveNode(decoded("a", 2, 7), null, false);
        Node n2 = s.member("a");
        assertEquals(2, n2.incarnation());
        assertSame(n1.addr(), n2.addr(), "an unchanged address keeps the stored array");
        assertSame(n1.meta(), n2.meta(), "unchanged meta keeps the stored array");
        assertSame(n1.vsn(), n2.vsn(), "an unchanged version vector keeps the stored array");
        assertSame(n2, s.members().stream().filter(n -> n.name().equals("a")).findFirst().orElseThrow());

        s.suspectNode(new Suspect(2, "a", "x"));
        Node n3 = s.member("a");
        assertEquals(NodeStatus.SUSPECT, n3.status());
        assertSame(n2.meta(), n3.meta());

        s.aliveNode(decoded("a", 3, 8), null, false);
        Node n4 = s.member("a");
        assertEquals(NodeStatus.ALIVE, n4.status());
        assertEquals(8, n4.meta()[0], "changed meta is stored");
        assertSame(n2.addr(), n4.addr());
        assertEquals(NodeStatus.SUSPECT, n3.status(), "an earlier snapshot never changes");

        s.deadNode(new Dead(3, "a", "x"));
        assertEquals(NodeStatus.DEAD, s.member("a").status());
        assertEquals(NodeStatus.ALIVE, n4.status());
    }

    @Test
    void aRejectedAliveAboutAnUnknownNodeIsKeptButNotPublished() {
        MembershipState s = view("self", Interner.NONE);
        s.aliveNode(decoded("z", 0, 1), null, false);
        assertNotNull(s.get("z"), "as memberlist: known (dead, incarnation 0) to the protocol");
        assertNull(s.member("z"), "but never published, as before");
        assertFalse(s.allNodes().stream().anyMatch(n -> n.name().equals("z")));
        assertEquals(1, s.numMembers());
    }

    @Test
    void aSharedInternerMakesViewsShareNamesAndArrays() {
        Interner shared = Interner.shared();
        MembershipState v1 = view("v1", shared);
        MembershipState v2 = view("v2", shared);
        v1.aliveNode(decoded("a", 1, 7), null, false);
        v2.aliveNode(decoded("a", 1, 7), null, false);
        Node a1 = v1.member("a");
        Node a2 = v2.member("a");
        assertSame(a1.name(), a2.name());
        assertSame(a1.addr(), a2.addr());
        assertSame(a1.meta(), a2.meta());
        assertSame(a1.vsn(), a2.vsn());
        assertSame(v1.get("a").name, a1.name(), "the map key and state use the interned name");
        assertSame(a1, a2, "views that agree share the node itself");
        v1.suspectNode(new Suspect(1, "a", "x"));
        assertEquals(NodeStatus.SUSPECT, v1.member("a").status());
        assertEquals(NodeStatus.ALIVE, v2.member("a").status(), "a view's change is its own");
        assertSame(a1.meta(), v1.member("a").meta());

        MembershipState p1 = view("p1", Interner.NONE);
        MembershipState p2 = view("p2", Interner.NONE);
        p1.aliveNode(decoded("a", 1, 7), null, false);
        p2.aliveNode(decoded("a", 1, 7), null, false);
        assertNotSame(p1.member("a").addr(), p2.member("a").addr(), "without one, each view keeps its own");
        assertNotSame(p1.member("a").name(), p2.member("a").name());
    }
}
