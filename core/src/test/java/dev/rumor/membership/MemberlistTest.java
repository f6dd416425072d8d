package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.security.Keyring;
import dev.rumor.time.VirtualScheduler;
import dev.rumor.transport.InMemoryNetwork;
import dev.rumor.transport.LinkFilter;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade on a small in-memory cluster: API behaviour, delegates, encryption, robustness. */
class MemberlistTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final InMemoryNetwork net = new InMemoryNetwork(sched, 1);
    private final List<Memberlist> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(Memberlist::shutdown);
        sched.runFor(Duration.ofMillis(1));
    }

    private Memberlist start(String name, Delegates d, UnaryOperator<MembershipConfig.Builder> tweak) {
        MembershipConfig cfg = tweak.apply(MembershipConfig.lan(name).toBuilder().randomSeed((long) name.hashCode())).build();
        Memberlist m = Memberlist.create(cfg, net.transport(name), sched, d);
        started.add(m);
        return m;
    }

    private Memberlist start(String name, Delegates d) {
        return start(name, d, UnaryOperator.identity());
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        assertTrue(sched.runUntil(f::isDone, Duration.ofSeconds(30)), "future did not complete");
        return f.get();
    }

    private void joinTo(Memberlist m, String seed) throws Exception {
        assertEquals(1, await(m.join(List.of(net.address(seed)))));
    }

    @Test
    void localNodeIsVisibleRightAfterCreate() {
        Memberlist a = start("a", Delegates.none().withMeta(limit -> new byte[] {1, 2}));
        Node me = a.localNode();
        assertNotNull(me);
        assertEquals("a", me.name());
        assertEquals(1, me.incarnation());
        assertArrayEquals(new byte[] {1, 2}, me.meta());
        assertArrayEquals(new byte[] {1, 5, 2, 2, 5, 5}, me.vsn());
        assertEquals(net.address("a"), me.address());
        assertEquals(1, a.numMembers());
    }

    @Test
    void joinExchangesMembershipAndDelegateState() throws Exception {
        List<String> merged = new ArrayList<>();
        StateDelegate state = new StateDelegate() {
            @Override
            public byte[] localState(boolean join) {
                return ("state-" + join).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void mergeRemoteState(byte[] s, boolean join) {
                merged.add(new String(s, StandardCharsets.UTF_8) + "/" + join);
            }
        };
        Memberlist a = start("a", Delegates.none().withState(state));
        Memberlist b = start("b", Delegates.none().withState(state));
        joinTo(b, "a");
        assertEquals(2, a.numMembers());
        assertEquals(2, b.numMembers());
        assertEquals(List.of("state-true/true", "state-true/true"), merged, "both sides merge, Join flag echoed");
    }

    @Test
    void joinFailsWhenNobodyAnswers() {
        Memberlist a = start("a", Delegates.none());
        CompletableFuture<Integer> f = a.join(List.of(net.address("ghost")));
        assertTrue(sched.runUntil(f::isDone, Duration.ofSeconds(30)));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(Memberlist.JoinException.class, e.getCause());
    }

    @Test
    void mergeDelegateCanRefuseAJoin() {
        Memberlist a = start("a", Delegates.none());
        Memberlist b = start("b", Delegates.none().withMerge(peers -> peers.size() == 1 && peers.get(0).name().equals("a") ? "no thanks" : null));
        CompletableFuture<Integer> f = b.join(List.of(net.address("a")));
        assertTrue(sched.runUntil(f::isDone, Duration.ofSeconds(30)));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(1, b.numMembers());
    }

    @Test
    void updateNodeRaisesTheIncarnationAndPeersSeeTheUpdate() throws Exception {
        byte[][] meta = {"v1".getBytes(StandardCharsets.UTF_8)};
        List<String> updates = new ArrayList<>();
        Memberlist a = start("a", Delegates.none().withMeta(limit -> meta[0]));
        Memberlist b = start("b", Delegates.none().withEvents(new EventDelegate() {
            @Override
            public void notifyUpdate(Node node) {
                updates.add(node.name() + ":" + new String(node.meta(), StandardCharsets.UTF_8));
            }
        }));
        joinTo(b, "a");
        meta[0] = "v2".getBytes(StandardCharsets.UTF_8);
        await(a.updateNode(Duration.ofSeconds(5)));
        assertEquals(2, a.localNode().incarnation());
        assertTrue(sched.runUntil(() -> !updates.isEmpty(), Duration.ofSeconds(5)));
        assertEquals(List.of("a:v2"), updates);
        assertEquals(2, b.node("a").incarnation());
    }

    @Test
    void userMessagesTravelBestEffortReliablyAndPiggybacked() throws Exception {
        List<String> got = new ArrayList<>();
        List<byte[]> outbox = new ArrayList<>();
        MessageDelegate bMsgs = new MessageDelegate() {
            @Override
            public void notifyMsg(byte[] msg) {
                got.add(new String(msg, StandardCharsets.UTF_8));
            }
        };
        MessageDelegate aMsgs = new MessageDelegate() {
            @Override
            public List<byte[]> getBroadcasts(int overhead, int limit) {
                List<byte[]> out = new ArrayList<>(outbox);
                outbox.clear();
                return out;
            }
        };
        Memberlist a = start("a", Delegates.none().withMessages(aMsgs));
        Memberlist b = start("b", Delegates.none().withMessages(bMsgs));
        joinTo(b, "a");
        Node bNode = a.node("b");
        a.sendBestEffort(bNode, "direct".getBytes(StandardCharsets.UTF_8));
        a.sendTo(net.address("b"), "to-address".getBytes(StandardCharsets.UTF_8));
        await(a.sendReliable(bNode, "stream".getBytes(StandardCharsets.UTF_8)));
        outbox.add("gossiped".getBytes(StandardCharsets.UTF_8));
        assertTrue(sched.runUntil(() -> got.size() == 4, Duration.ofSeconds(5)));
        assertEquals(java.util.Set.of("direct", "to-address", "stream", "gossiped"), java.util.Set.copyOf(got));
    }

    @Test
    void pingDelegateCarriesPayloadAndSeesRtt() throws Exception {
        List<Duration> rtts = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        PingDelegate pd = new PingDelegate() {
            @Override
            public byte[] ackPayload() {
                return "coord".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
                rtts.add(rtt);
                payloads.add(other.name() + ":" + new String(payload, StandardCharsets.UTF_8));
            }
        };
        net.latency(Duration.ofMillis(3), Duration.ZERO);
        Memberlist a = start("a", Delegates.none().withPing(pd));
        Memberlist b = start("b", Delegates.none().withPing(pd));
        joinTo(b, "a");
        assertTrue(sched.runUntil(() -> rtts.size() >= 2, Duration.ofSeconds(5)));
        assertEquals(Duration.ofMillis(6), rtts.get(0), "two one-way latencies");
        assertTrue(payloads.get(0).endsWith(":coord"));
    }

    @Test
    void tcpFallbackKeepsANodeWithBrokenUdpAlive() throws Exception {
        Memberlist a = start("a", Delegates.none());
        Memberlist b = start("b", Delegates.none());
        joinTo(b, "a");
        // All UDP between the two is lost, TCP works: memberlist's fallback probe must save them.
        net.addFilter((from, to, kind) -> kind == LinkFilter.Kind.PACKET);
        sched.runFor(Duration.ofMinutes(2));
        assertEquals(2, a.numMembers());
        assertEquals(NodeStatus.ALIVE, a.node("b").status());
        assertTrue(a.stats().tcpFallbackSaves() > 0);
        assertEquals(0, a.stats().failedProbes());
    }

    @Test
    void malformedInputIsCountedAndDropped() throws Exception {
        Memberlist a = start("a", Delegates.none());
        Memberlist b = start("b", Delegates.none());
        joinTo(b, "a");
        Transport rogue = net.transport("rogue");
        InetSocketAddress target = net.address("a");
        rogue.sendPacket(target, new byte[] {(byte) 0xff, 1, 2});
        rogue.sendPacket(target, new byte[] {4, (byte) 0x85, 1});
        rogue.sendPacket(target, new byte[] {7, 5, 0});
        rogue.sendPacket(target, new byte[0]);
        rogue.sendPacket(target, new byte[] {12, 0, 0, 0, 0, 0});
        Object[] reply = new Object[2];
        rogue.exchange(target, new byte[] {6, (byte) 0x83}, true, Duration.ofSeconds(1), (r, e) -> {
            reply[0] = r;
            reply[1] = e;
        });
        sched.runFor(Duration.ofSeconds(2));
        assertTrue(a.stats().malformedPackets() >= 5, "counted: " + a.stats().malformedPackets());
        assertEquals(1, a.stats().malformedStreams());
        assertNotNull(reply[0], "a bad stream gets an error response");
        assertEquals(2, a.numMembers(), "and the node keeps working");
        sched.runFor(Duration.ofSeconds(10));
        assertEquals(NodeStatus.ALIVE, a.node("b").status());
    }

    @Test
    void encryptedClusterWorksAndKeepsStrangersOut() throws Exception {
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = (byte) i;
        }
        Keyring ring = Keyring.of(key);
        Memberlist a = start("a", Delegates.none(), b -> b.keyring(ring));
        Keyring ring2 = Keyring.of(key);
        Memberlist b = start("b", Delegates.none(), x -> x.keyring(ring2));
        joinTo(b, "a");
        sched.runFor(Duration.ofSeconds(20));
        assertEquals(2, a.numMembers());
        assertEquals(0, a.stats().failedProbes());
        Memberlist plain = start("plain", Delegates.none());
        CompletableFuture<Integer> f = plain.join(List.of(net.address("a")));
        assertTrue(sched.runUntil(f::isDone, Duration.ofSeconds(30)));
        assertTrue(f.isCompletedExceptionally(), "an unencrypted node cannot join");
        assertEquals(2, a.numMembers());
    }

    private static byte[] hex(String h) {
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Packets captured from the real serf binary (wire-protocol.md §2.7) drive the state machine. */
    @Test
    void realSerfGossipPacketsAreUnderstood() throws Exception {
        Memberlist a = start("alpha", Delegates.none());
        Transport rogue = net.transport("rogue");
        byte[] vsn = {1, 5, 2, 2, 5, 5};
        for (String n : List.of("beta", "gamma")) {
            byte[] alive = dev.rumor.membership.wire.Codec.encode(
                    new dev.rumor.membership.wire.Message.Alive(1, n, new byte[] {127, 0, 0, 1}, 17947 + n.length(), new byte[0], vsn));
            rogue.sendPacket(net.address("alpha"), alive);
        }
        sched.runFor(Duration.ofMillis(10));
        assertEquals(3, a.numMembers());
        // suspect{From: beta, Incarnation: 1, Node: gamma} with CRC
        rogue.sendPacket(net.address("alpha"),
                hex("0cda3f3b660383a446726f6da462657461ab496e6361726e6174696f6e01a44e6f6465a567616d6d61"));
        // dead{From: beta, Incarnation: 2, Node: beta} with CRC: beta leaves
        rogue.sendPacket(net.address("alpha"),
                hex("0c9add4e330583a446726f6da462657461ab496e6361726e6174696f6e02a44e6f6465a462657461"));
        sched.runFor(Duration.ofMillis(10));
        assertEquals(NodeStatus.SUSPECT, a.node("gamma").status());
        assertEquals(NodeStatus.LEFT, a.node("beta").status());
        assertEquals(2, a.node("beta").incarnation());
        assertEquals(0, a.stats().malformedPackets());
    }

    /**
     * memberlist applies queued state messages newest first, so of [dead(b, from x), dead(b, from b)] in
     * one compound the leave wins; in arrival order the failure would win. Peers running Go see "left".
     */
    @Test
    void partsOfACompoundAreAppliedLastFirst() throws Exception {
        Memberlist a = start("a", Delegates.none());
        Transport rogue = net.transport("rogue");
        byte[] vsn = {1, 5, 2, 2, 5, 5};
        rogue.sendPacket(net.address("a"), dev.rumor.membership.wire.Codec.encode(
                new dev.rumor.membership.wire.Message.Alive(1, "b", new byte[] {10, 0, 0, 9}, 7946, new byte[0], vsn)));
        sched.runFor(Duration.ofMillis(10));
        byte[] failed = dev.rumor.membership.wire.Codec.encode(new dev.rumor.membership.wire.Message.Dead(1, "b", "x"));
        byte[] left = dev.rumor.membership.wire.Codec.encode(new dev.rumor.membership.wire.Message.Dead(1, "b", "b"));
        rogue.sendPacket(net.address("a"), dev.rumor.membership.wire.Compound.encode(List.of(failed, left)));
        sched.runFor(Duration.ofMillis(10));
        assertEquals(NodeStatus.LEFT, a.node("b").status());
    }

    @Test
    void leaveCompletesAtOnceWhenAlone() throws Exception {
        Memberlist a = start("a", Delegates.none());
        await(a.leave(Duration.ofSeconds(1)));
        assertEquals(NodeStatus.LEFT, a.localNode().status());
        assertFalse(a.isShutdown());
    }
}
