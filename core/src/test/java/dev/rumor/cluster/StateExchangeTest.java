package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.wire.Hex;
import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.membership.Node;
import dev.rumor.membership.NodeStatus;
import dev.rumor.time.VirtualScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Serf push/pull state: what we send and how a peer's is merged (§7.10). */
class StateExchangeTest {
    private final VirtualScheduler time = new VirtualScheduler();
    private final LamportClock memberClock = new LamportClock();
    private final LamportClock queryClock = new LamportClock();
    private final List<ClusterEvent> events = new ArrayList<>();
    private final List<String> leftElsewhere = new ArrayList<>();
    private final MemberTable table = new MemberTable("beta", memberClock, time, events::add, Duration.ofSeconds(6));
    private final UserEvents userEvents = new UserEvents(new LamportClock(), new UserEventBuffer(), events::add);
    private final List<String> refutations = new ArrayList<>();
    private final StateExchange exchange = new StateExchange(memberClock, table, userEvents, queryClock, () -> true,
            leftElsewhere::add, () -> refutations.add("join"));

    private static Node alive(String name) {
        return new Node(name, new byte[] {127, 0, 0, 1}, 17947, Tags.encode(Map.of("role", "db")), NodeStatus.ALIVE, 1,
                new byte[] {1, 5, 2, 2, 5, 5});
    }

    @Test
    void freshNodeSendsExactlyTheRealAgentsJoinState() {
        // beta right after start: every clock at 1, only itself known, no intent applied yet
        memberClock.increment();
        queryClock.increment();
        userEvents.clock().increment();
        table.nodeJoined(alive("beta"));
        byte[] real = Hex.bytes("02 86 aa\"EventLTime\" 01 a6\"Events\" dc 0200 " + "c0".repeat(512)
                + " a5\"LTime\" 01 ab\"LeftMembers\" 90 aa\"QueryLTime\" 01 ac\"StatusLTimes\" 81 a4\"beta\" 00");
        assertArrayEquals(real, exchange.localState());
    }

    @Test
    void mergeTurnsStatusTimesIntoIntentsAndWitnessesClocksMinusOne() {
        table.nodeJoined(alive("a"));
        table.nodeJoined(alive("gone"));
        table.nodeLeft(new Node("gone", new byte[4], 1, new byte[0], NodeStatus.DEAD, 1, new byte[6]));
        SerfMessage.PushPull pp = new SerfMessage.PushPull(10, Map.of("a", 4L, "gone", 6L, "later", 2L),
                List.of("gone"), 20, List.of(), 30);
        exchange.merge(SerfCodec.encode(pp), false, false);
        assertEquals(10, memberClock.time(), "witness(9) → 10");
        assertEquals(20, userEvents.clock().time());
        assertEquals(30, queryClock.time());
        assertEquals(MemberStatus.LEFT, table.member("gone").status(), "leave intent at 6+1 on a failed member");
        assertEquals(Map.of("a", 4L, "gone", 7L), table.statusLTimes());
        assertEquals(List.of("gone"), leftElsewhere, "each remote left member is reported once");
        table.nodeJoined(alive("later"));
        assertEquals(2L, table.statusLTimes().get("later"), "recent intent applied on arrival");
    }

    @Test
    void aNewerStatusTimeForUsMeansAMissedLeaveIntentAndIsRefuted() {
        table.nodeJoined(alive("beta"));
        table.joinIntent(new SerfMessage.Join(3, "beta"));
        exchange.merge(SerfCodec.encode(new SerfMessage.PushPull(5, Map.of("beta", 3L), List.of(), 1, List.of(), 1)),
                false, false);
        assertEquals(List.of(), refutations, "the same status time: nothing missed");
        // alpha force-left us at 4; the intent never reached us, its push/pull shows it
        exchange.merge(SerfCodec.encode(new SerfMessage.PushPull(6, Map.of("beta", 4L), List.of(), 1, List.of(), 1)),
                false, false);
        assertEquals(List.of("join"), refutations);
        exchange.merge(SerfCodec.encode(new SerfMessage.PushPull(6, Map.of("beta", 4L), List.of("beta"), 1, List.of(), 1)),
                false, false);
        assertEquals(List.of("join", "join"), refutations, "listed as left");
    }

    @Test
    void remoteEventsAreReplayedWithoutCoalescingUnlessIgnoringOldEvents() {
        List<SerfMessage.EventSlot> ring = new ArrayList<>(Collections.nCopies(512, (SerfMessage.EventSlot) null));
        ring.set(5, new SerfMessage.EventSlot(5, List.of(new SerfMessage.EventEntry("deploy",
                "v1".getBytes(StandardCharsets.UTF_8)))));
        byte[] state = SerfCodec.encode(new SerfMessage.PushPull(1, Map.of(), List.of(), 6, ring, 1));

        exchange.merge(state, true, true);
        assertTrue(events.stream().noneMatch(e -> e instanceof ClusterEvent.UserEvent), "join without replay");

        StateExchange other = new StateExchange(new LamportClock(), table,
                new UserEvents(new LamportClock(), new UserEventBuffer(), events::add), new LamportClock(), () -> true, n -> { }, () -> { });
        other.merge(state, true, false);
        other.merge(state, false, false);
        List<ClusterEvent.UserEvent> got = events.stream().filter(e -> e instanceof ClusterEvent.UserEvent)
                .map(e -> (ClusterEvent.UserEvent) e).toList();
        assertEquals(1, got.size(), "replayed once, de-duplicated on the second merge");
        assertEquals("deploy", got.get(0).name());
        assertFalse(got.get(0).coalesce());
    }

    @Test
    void garbageIsDropped() {
        exchange.merge(new byte[0], false, false);
        exchange.merge(new byte[] {3, (byte) 0x80}, false, false);
        exchange.merge(new byte[] {2, (byte) 0x85}, false, false);
        assertEquals(0, memberClock.time());
        assertTrue(events.isEmpty());
    }
}
