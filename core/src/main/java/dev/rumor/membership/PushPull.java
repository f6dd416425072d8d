package dev.rumor.membership;

import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.time.Scheduler;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full state exchange over a stream (memberlist {@code pushPull}, {@code sendAndReceiveState},
 * {@code mergeRemoteState}): the anti-entropy that repairs whatever gossip lost, and the mechanism of
 * joining ({@code Join = true}). The initiator sends its state first, the acceptor answers with its own
 * and both merge.
 *
 * <p>Thread contract: protocol thread only; transport callbacks are re-dispatched onto it.
 */
final class PushPull {
    private static final Logger LOG = LoggerFactory.getLogger(PushPull.class);

    private final MembershipConfig config;
    private final MembershipState state;
    private final Transport transport;
    private final WireFormat wire;
    private final Scheduler scheduler;
    private final Delegates delegates;
    private final MembershipStats stats;

    PushPull(MembershipConfig config, MembershipState state, Transport transport, WireFormat wire,
             Scheduler scheduler, Delegates delegates, MembershipStats stats) {
        this.config = config;
        this.state = state;
        this.transport = transport;
        this.wire = wire;
        this.scheduler = scheduler;
        this.delegates = delegates;
        this.stats = stats;
    }

    /** Periodic anti-entropy with one random alive peer. */
    void tick() {
        List<NodeState> peers = state.randomNodes(1,
                n -> n.name.equals(state.localName()) || n.status() != NodeStatus.ALIVE);
        if (peers.isEmpty()) {
            return;
        }
        NodeState peer = peers.get(0);
        exchange(Node.socketAddress(peer.addr(), peer.port()), false, (ok, err) -> {
            if (err != null) {
                LOG.warn("Push/Pull with {} failed: {}", peer.name, err);
            }
        });
    }

    /** Our state as a push/pull message. */
    Message.PushPull localMessage(boolean join) {
        byte[] user = delegates.state() == null ? null : delegates.state().localState(join);
        return new Message.PushPull(join, state.localState(), user == null ? new byte[0] : user);
    }

    /**
     * Exchanges state with {@code to}; {@code done} gets (true, null) after a successful merge or
     * (false, reason).
     */
    void exchange(InetSocketAddress to, boolean join, BiConsumer<Boolean, String> done) {
        byte[] req = wire.encodeStream(localMessage(join));
        transport.exchange(to, req, true, config.tcpTimeout(), (reply, err) -> scheduler.execute(() -> {
            if (err != null) {
                done.accept(false, dialError(to, err));
                return;
            }
            Message m;
            try {
                m = wire.decodeStream(reply);
            } catch (Exception e) {
                stats.malformedStreams.incrementAndGet();
                // memberlist returns stream decoding errors as they are, e.g.
                // "Remote state is encrypted and encryption is not configured"
                done.accept(false, e.getMessage() == null ? e.toString() : e.getMessage());
                return;
            }
            if (m instanceof Message.Err e) {
                done.accept(false, "remote error: " + e.error());
                return;
            }
            if (!(m instanceof Message.PushPull pp)) {
                stats.malformedStreams.incrementAndGet();
                done.accept(false, "received invalid msgType " + m.type() + ", expected pushPull");
                return;
            }
            String mergeErr = merge(join, pp.nodes(), pp.userState());
            if (mergeErr == null) {
                stats.pushPulls.incrementAndGet();
            }
            done.accept(mergeErr == null, mergeErr);
        }));
    }

    /** Answers an inbound push/pull: reply first (with the Join flag we were sent), then merge. */
    void answer(Message.PushPull req, Transport.StreamReply reply) {
        reply.send(wire.encodeStream(localMessage(req.join())));
        String err = merge(req.join(), req.nodes(), req.userState());
        if (err != null) {
            LOG.warn("Failed push/pull merge: {}", err);
        } else {
            stats.pushPulls.incrementAndGet();
        }
    }

    /** @return null on success, else why the merge was refused */
    String merge(boolean join, List<PushNodeState> remote, byte[] userState) {
        String err = state.verifyProtocol(remote);
        if (err != null) {
            return err;
        }
        if (join && delegates.merge() != null) {
            List<Node> peers = new ArrayList<>(remote.size());
            for (PushNodeState r : remote) {
                NodeStatus st = NodeStatus.ofWire(r.state());
                byte[] vsn = r.vsn() == null ? new byte[6] : java.util.Arrays.copyOf(r.vsn(), 6);
                peers.add(new Node(r.name(), r.addr() == null ? new byte[0] : r.addr(), r.port(),
                        r.meta() == null ? new byte[0] : r.meta(), st == null ? NodeStatus.DEAD : st,
                        r.incarnation(), vsn));
            }
            String veto = delegates.merge().notifyMerge(peers);
            if (veto != null) {
                return "merge canceled: " + veto;
            }
        }
        state.mergeState(remote);
        if (userState != null && userState.length > 0 && delegates.state() != null) {
            delegates.state().mergeRemoteState(userState, join);
        }
        return null;
    }

    /**
     * A failed exchange in the words of Go's net package, which serf users see in join errors
     * ({@code dial tcp 127.0.0.1:1: connect: connection refused}); anything else keeps its own message.
     */
    static String dialError(InetSocketAddress to, Throwable err) {
        String target = "dial tcp " + to.getAddress().getHostAddress() + ":" + to.getPort() + ": ";
        String m = err.getMessage() == null ? "" : err.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (err instanceof java.net.ConnectException) {
            if (m.contains("refused")) {
                return target + "connect: connection refused";
            }
            if (m.contains("timed out")) {
                return target + "i/o timeout";
            }
            return target + "connect: " + m;
        }
        if (err instanceof java.net.NoRouteToHostException) {
            return target + "connect: no route to host";
        }
        if (err instanceof java.net.SocketTimeoutException && m.contains("connect")) {
            return target + "i/o timeout";
        }
        return err.getMessage() == null ? err.toString() : err.getMessage();
    }
}
