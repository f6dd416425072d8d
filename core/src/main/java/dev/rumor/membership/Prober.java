package dev.rumor.membership;

import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.IndirectPing;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.time.Scheduler;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SWIM failure detector with Lifeguard's refinements (memberlist {@code probe}/{@code probeNode}),
 * one target per probe interval, event-driven on the protocol thread:
 * <ol>
 *   <li>targets come round-robin from the shuffled node list (skipping us and dead/left nodes); at
 *       the end of the list it is reshuffled and long-dead nodes are forgotten;</li>
 *   <li>a direct ping (compound with a suspect if the target is already suspected, so it can refute at
 *       once — the Lifeguard "buddy system"); the whole round may take
 *       {@code probeInterval × (health + 1)};</li>
 *   <li>no ack within {@code probeTimeout}: up to {@code indirectChecks} alive helpers are asked to
 *       ping it for us (asking for nacks from helpers with pmax ≥ 4), and in parallel a TCP ping is
 *       tried (pmax ≥ 3), which catches nodes whose UDP is broken but who are alive;</li>
 *   <li>still nothing when the round ends: the target is suspected, and our health gets worse by the
 *       number of nacks that did not come (missing nacks mean <em>we</em> are the problem), or by 1
 *       without nack-capable helpers. A successful probe improves health by 1.</li>
 * </ol>
 *
 * <p>Thread contract: protocol thread only. A tick while a round is still running is skipped, like a
 * Go ticker whose receiver is busy.
 */
final class Prober {
    private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

    private final MembershipConfig config;
    private final MembershipState state;
    private final Messenger messenger;
    private final Transport transport;
    private final AckHandlers acks;
    private final Awareness awareness;
    private final PingDelegate pingDelegate;
    private final Scheduler scheduler;
    private final MembershipStats stats;
    private final SelfAddress self;
    private int probeIndex;
    private Round current;

    /**
     * A refused connection: the host answered with a reset (Linux: ECONNREFUSED), as opposed to a timeout,
     * an unreachable host or a stream that broke after connecting.
     */
    static boolean isRefusal(Throwable err) {
        return err instanceof java.net.ConnectException && err.getMessage() != null
                && err.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused");
    }

    /**
     * A ping with the suspicion attached in the same datagram (the Lifeguard "buddy system"): a live target
     * that had not heard it refutes at once.
     *
     * @return the send time, or -1 if the transport failed
     */
    private long pingWithSuspicion(long seqNo, String name, InetSocketAddress to, long incarnation, int pmax) {
        WireFormat w = messenger.wire();
        List<byte[]> msgs = List.of(w.encode(new Ping(seqNo, name, self.addr, self.port, self.name)),
                w.encode(new Suspect(incarnation, name, self.name)));
        return messenger.sendRaw(to, msgs, pmax >= 5);
    }

    /**
     * The last ping before a timed-out suspicion becomes a failure ({@link MembershipConfig#lastChancePing()}):
     * ping + suspicion, answered within the probe timeout ({@code answered}) or not ({@code silent}).
     */
    void lastChance(NodeState n, Runnable silent, Runnable answered) {
        if (!config.lastChancePing()) {
            silent.run();
            return;
        }
        long seq = acks.nextSeqNo();
        acks.register(seq, (payload, at) -> {
            stats.lastChanceSaves.incrementAndGet();
            answered.run();
        }, null, config.probeTimeout(), silent);
        pingWithSuspicion(seq, n.name, Node.socketAddress(n.addr(), n.port()), n.incarnation(), n.pmax());
    }

    /** Our advertised address as it goes into Source* fields. */
    record SelfAddress(String name, byte[] addr, int port) {
    }

    Prober(MembershipConfig config, MembershipState state, Messenger messenger, Transport transport,
           AckHandlers acks, Awareness awareness, PingDelegate pingDelegate, Scheduler scheduler,
           MembershipStats stats, SelfAddress self) {
        this.config = config;
        this.state = state;
        this.messenger = messenger;
        this.transport = transport;
        this.acks = acks;
        this.awareness = awareness;
        this.pingDelegate = pingDelegate;
        this.scheduler = scheduler;
        this.stats = stats;
        this.self = self;
    }

    /** One probe-interval tick. */
    void tick() {
        if (current != null) {
            return;
        }
        int numCheck = 0;
        while (true) {
            List<NodeState> nodes = state.nodes();
            if (numCheck >= nodes.size()) {
                return;
            }
            if (probeIndex >= nodes.size()) {
                state.resetNodes();
                probeIndex = 0;
                numCheck++;
                continue;
            }
            NodeState n = nodes.get(probeIndex++);
            if (n.name.equals(self.name) || n.deadOrLeft()) {
                numCheck++;
                continue;
            }
            probe(n);
            return;
        }
    }

    /** Probes one node now (also used by tests). */
    void probe(NodeState node) {
        stats.probes.incrementAndGet();
        Round r = new Round(node);
        current = r;
        r.start();
    }

    boolean probing() {
        return current != null;
    }

    /** State of one probe round; its callbacks all run on the protocol thread. */
    private final class Round {
        final String name;
        final byte[] addr;
        final int port;
        final long incarnation;
        final NodeStatus status;
        final int pmax;
        final Node snapshot;
        final long seqNo;
        final Duration interval;
        long sentNanos;
        long deadlineNanos;
        boolean finished;
        boolean indirectStarted;
        boolean expired;
        int expectedNacks;
        int nacks;
        /** 0 none, 1 pending, 2 succeeded, 3 failed. */
        int fallback;
        /** The TCP fallback was refused by the target's host: nothing listens on its gossip port. */
        boolean refused;

        Round(NodeState state) {
            Node n = state.node();
            name = state.name;
            addr = n.addr();
            port = n.port();
            incarnation = n.incarnation();
            status = n.status();
            pmax = n.pmax();
            snapshot = n;
            seqNo = acks.nextSeqNo();
            interval = awareness.scaleTimeout(config.probeInterval());
        }

        InetSocketAddress target() {
            return Node.socketAddress(addr, port);
        }

        Ping ping() {
            return new Ping(seqNo, name, self.addr, self.port, self.name);
        }

        void start() {
            acks.register(seqNo, this::onAck, () -> nacks++, interval, this::onExpiry);
            sentNanos = scheduler.clock().nanoTime();
            deadlineNanos = sentNanos + interval.toNanos();
            long sent;
            if (status == NodeStatus.ALIVE) {
                sent = messenger.send(target(), ping());
            } else {
                sent = pingWithSuspicion(seqNo, name, target(), incarnation, pmax);
            }
            if (sent < 0) {
                // Like memberlist: a local send error ends the round without judging the target.
                finish(0);
                return;
            }
            scheduler.schedule(config.probeTimeout(), this::startIndirect);
        }

        void onAck(byte[] payload, long receivedNanos) {
            if (finished) {
                return;
            }
            if (!indirectStarted && pingDelegate != null) {
                long rtt = Math.max(0, receivedNanos - sentNanos);
                pingDelegate.notifyPingComplete(snapshot, Duration.ofNanos(rtt), payload);
            }
            finish(-1);
        }

        void startIndirect() {
            if (finished) {
                return;
            }
            indirectStarted = true;
            LOG.debug("Failed ping: {} (timeout reached)", name);
            List<NodeState> helpers = state.randomNodes(config.indirectChecks(),
                    n -> n.name.equals(self.name) || n.name.equals(name) || n.status() != NodeStatus.ALIVE);
            for (NodeState h : helpers) {
                boolean nack = h.pmax() >= 4;
                if (nack) {
                    expectedNacks++;
                }
                messenger.send(Node.socketAddress(h.addr(), h.port()),
                        new IndirectPing(seqNo, addr, port, name, nack, self.addr, self.port, self.name));
            }
            if (!config.disableTcpPings() && pmax >= 3) {
                fallback = 1;
                long remaining = deadlineNanos - scheduler.clock().nanoTime();
                byte[] req = messenger.wire().encodeStream(ping());
                transport.exchange(target(), req, true, Duration.ofNanos(Math.max(1, remaining)),
                        (reply, err) -> scheduler.execute(() -> onFallback(reply, err)));
            }
        }

        void onFallback(byte[] reply, Throwable err) {
            boolean ok = false;
            if (err == null && reply != null) {
                try {
                    Message m = messenger.wire().decodeStream(reply);
                    ok = m instanceof Ack a && a.seqNo() == seqNo;
                } catch (Exception e) {
                    stats.malformedStreams.incrementAndGet();
                }
            }
            fallback = ok ? 2 : 3;
            refused = isRefusal(err);
            conclude();
        }

        void onExpiry() {
            expired = true;
            conclude();
        }

        void conclude() {
            if (finished || !expired || fallback == 1) {
                return;
            }
            if (fallback == 2) {
                LOG.warn("Was able to connect to {} but other probes failed, network may be misconfigured", name);
                stats.tcpFallbackSaves.incrementAndGet();
                finish(-1);
                return;
            }
            int delta = expectedNacks > 0 ? Math.max(0, expectedNacks - nacks) : 1;
            finish(delta);
            stats.failedProbes.incrementAndGet();
            if (refused && config.failOnRefusedProbe()) {
                stats.refusedProbes.incrementAndGet();
                LOG.info("Marking {} as failed: no acks received and its gossip port refused a connection", name);
                state.deadNode(new Dead(incarnation, name, self.name));
                return;
            }
            LOG.info("Suspect {} has failed, no acks received", name);
            state.suspectNode(new Suspect(incarnation, name, self.name));
        }

        void finish(int awarenessDelta) {
            finished = true;
            if (current == this) {
                current = null;
            }
            awareness.applyDelta(awarenessDelta);
        }
    }
}
