package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.MemberTable.LeaveResult;
import dev.rumor.cluster.wire.SerfMessage.Join;
import dev.rumor.cluster.wire.SerfMessage.Leave;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import dev.rumor.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The serf member state machine fed with hand-built memberlist notifications and intents (§7.4). */
class MemberTableTest {
    private final VirtualScheduler time = new VirtualScheduler();
    private final LamportClock clock = new LamportClock();
    private final List<ClusterEvent> events = new ArrayList<>();
    private final MemberTable table = new MemberTable("self", clock, time, events::add, Duration.ofSeconds(6));

    private static Node node(String name, NodeStatus status, Map<String, String> tags) {
        return new Node(name, new byte[] {127, 0, 0, 1}, 7946, Tags.encode(tags), status, 1,
                new byte[] {1, 5, 2, 2, 5, 5});
    }

    private static Node alive(String name) {
        return node(name, NodeStatus.ALIVE, Map.of("role", "web"));
    }

    private String lastEvent() {
        ClusterEvent e = events.get(events.size() - 1);
        return e.type().wireName() + " " + ((ClusterEvent.MemberEvent) e).members().get(0).name();
    }

    private MemberStatus status(String n) {
        return table.member(n).status();
    }

    @Test
    void joinDecodesTagsAndVersions() {
        table.nodeJoined(alive("a"));
        Member m = table.member("a");
        assertEquals(MemberStatus.ALIVE, m.status());
        assertEquals(Map.of("role", "web"), m.tags());
        assertEquals(5, m.protocolMax());
        assertEquals(5, m.delegateCur());
        assertEquals("member-join a", lastEvent());
        assertEquals(Map.of("a", m), table.snapshot());
    }

    @Test
    void gracefulLeaveIsIntentThenDead() {
        table.nodeJoined(alive("a"));
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(5, "a", false), true));
        assertEquals(MemberStatus.LEAVING, status("a"));
        assertEquals(1, events.size(), "no event for leaving");
        assertEquals(6, clock.time(), "witnessed");
        table.nodeLeft(node("a", NodeStatus.LEFT, Map.of()));
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals("member-leave a", lastEvent());
        assertEquals(List.of("a"), table.leftMemberNames());
        assertEquals(Map.of("a", 5L), table.statusLTimes());
    }

    @Test
    void aNodeThatAnnouncedItsOwnLeaveHasLeftEvenIfItsIntentWasMissed() {
        table.nodeJoined(alive("a"));
        table.nodeLeft(node("a", NodeStatus.LEFT, Map.of()));
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals("member-leave a", lastEvent());
        assertEquals(List.of("a"), table.leftMemberNames());
        assertTrue(table.failedMembers().isEmpty(), "not failed: no reconnect attempts to a node that left");
        // The intent arriving late changes nothing and raises no second event.
        int before = events.size();
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(5, "a", false), true));
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals(before, events.size());
    }

    @Test
    void deadFirstIsFailedThenAForcedLeave() {
        table.nodeJoined(alive("a"));
        table.nodeLeft(node("a", NodeStatus.DEAD, Map.of()));
        assertEquals(MemberStatus.FAILED, status("a"));
        assertEquals("member-failed a", lastEvent());
        assertEquals(1, table.failedMembers().size());
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(3, "a", false), true));
        assertEquals(MemberStatus.LEFT, status("a"));
        assertEquals("member-leave a", lastEvent());
        assertTrue(table.failedMembers().isEmpty());
        assertEquals(LeaveResult.IGNORED, table.leaveIntent(new Leave(3, "a", false), true), "not newer");
    }

    @Test
    void staleIntentsAreIgnoredAndJoinRevivesLeaving() {
        table.nodeJoined(alive("a"));
        assertTrue(table.joinIntent(new Join(4, "a")));
        assertFalse(table.joinIntent(new Join(4, "a")));
        assertEquals(LeaveResult.IGNORED, table.leaveIntent(new Leave(4, "a", false), true));
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(7, "a", false), true));
        assertEquals(MemberStatus.LEAVING, status("a"));
        assertFalse(table.joinIntent(new Join(6, "a")), "older join does not revive");
        assertTrue(table.joinIntent(new Join(8, "a")));
        assertEquals(MemberStatus.ALIVE, status("a"));
    }

    @Test
    void intentsAboutUnknownNodesWaitForTheNode() {
        assertTrue(table.joinIntent(new Join(3, "b")));
        assertFalse(table.joinIntent(new Join(2, "b")), "only newer replaces");
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(9, "c", false), true));
        table.nodeJoined(alive("b"));
        table.nodeJoined(alive("c"));
        assertEquals(Map.of("b", 3L, "c", 9L), table.statusLTimes());
        assertEquals(MemberStatus.ALIVE, status("b"));
        assertEquals(MemberStatus.LEAVING, status("c"), "the leave intent arrived first");
    }

    @Test
    void recentIntentsExpire() {
        table.joinIntent(new Join(3, "b"));
        assertEquals(1, table.recentIntentCount());
        time.runFor(Duration.ofMinutes(6));
        table.reap(Duration.ofHours(24), Duration.ofHours(24), Duration.ofMinutes(5));
        assertEquals(0, table.recentIntentCount());
    }

    @Test
    void aLeaveIntentAboutOurselvesIsRefutedWhileAlive() {
        table.nodeJoined(alive("self"));
        assertEquals(LeaveResult.REFUTE, table.leaveIntent(new Leave(3, "self", false), true));
        assertEquals(MemberStatus.ALIVE, status("self"));
        assertEquals(LeaveResult.APPLIED, table.leaveIntent(new Leave(4, "self", false), false), "our own leave");
        assertEquals(MemberStatus.LEAVING, status("self"));
    }

    @Test
    void pruneErasesLeftAtOnceAndLeavingAfterTheDelay() {
        table.nodeJoined(alive("a"));
        table.nodeLeft(node("a", NodeStatus.DEAD, Map.of()));
        table.leaveIntent(new Leave(2, "a", true), true);
        assertNull(table.member("a"));
        assertEquals("member-reap a", lastEvent());

        table.nodeJoined(alive("b"));
        table.leaveIntent(new Leave(3, "b", true), true);
        assertEquals(MemberStatus.LEAVING, status("b"));
        time.runFor(Duration.ofSeconds(5));
        assertEquals(MemberStatus.LEAVING, status("b"));
        time.runFor(Duration.ofSeconds(2));
        assertNull(table.member("b"));
        assertEquals("member-reap b", lastEvent());
    }

    @Test
    void reapErasesFailedAndLeftAfterTheirTimeouts() {
        table.nodeJoined(alive("f"));
        table.nodeJoined(alive("l"));
        table.nodeLeft(node("f", NodeStatus.DEAD, Map.of()));
        table.leaveIntent(new Leave(2, "l", false), true);
        table.nodeLeft(node("l", NodeStatus.LEFT, Map.of()));
        time.runFor(Duration.ofSeconds(20));
        table.reap(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertNull(table.member("l"));
        assertEquals(MemberStatus.FAILED, status("f"));
        time.runFor(Duration.ofSeconds(20));
        table.reap(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertNull(table.member("f"));
        assertEquals(2, events.stream().filter(e -> e.type() == ClusterEvent.Type.MEMBER_REAP).count());
    }

    @Test
    void rejoinAfterFailureIsAliveAgainAndUpdateCarriesNewTags() {
        table.nodeJoined(alive("a"));
        table.nodeLeft(node("a", NodeStatus.DEAD, Map.of()));
        table.nodeJoined(alive("a"));
        assertEquals(MemberStatus.ALIVE, status("a"));
        assertTrue(table.failedMembers().isEmpty());
        table.nodeUpdated(node("a", NodeStatus.ALIVE, Map.of("role", "db")));
        assertEquals("member-update a", lastEvent());
        assertEquals(Map.of("role", "db"), table.member("a").tags());
        assertTrue(table.hasAliveMembers());
    }
}
