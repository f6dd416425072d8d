package dev.rumor.membership;

import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.IndirectPing;
import dev.rumor.membership.wire.Message.Nack;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.time.Scheduler;
import dev.rumor.transport.Packet;
import dev.rumor.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path (memberlist {@code ingestPacket}, {@code handleCommand}, {@code packetHandler},
 * {@code handleConn}). Probe traffic (ping, indirect ping, ack, nack) is answered at once; state
 * messages (alive, suspect, dead, user) go through a bounded handoff queue that is drained LIFO, with
 * alive messages in a separate queue that is always drained first.
 *
 * <p>Why LIFO: memberlist does it so that under overload the freshest information wins and an alive
 * (which can clear a suspicion) is never stuck behind a backlog. The cost, which SWIM does not intend:
 * messages of one compound are applied in reverse, so a serf leave intent and the memberlist dead for
 * the same node in one packet are seen dead-first (peers report "failed", then "left"); and an older
 * message can be applied after a newer one about the same node, which only works because incarnation
 * ordering makes the late one a no-op. We keep LIFO for behavioural compatibility with Go peers; the
 * order only matters within a backlog, because each batch is drained right after it is enqueued.
 *
 * <p>Malformed datagrams and streams never throw out of here: they are counted in
 * {@link MembershipStats} and dropped.
 *
 * <p>Thread contract: protocol thread only (the transport handlers re-dispatch onto it).
 */
final class Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

    private final MembershipConfig config;
    private final MembershipState state;
    private final Messenger messenger;
    private final AckHandlers acks;
    private final PushPull pushPull;
    private final Delegates delegates;
    private final Scheduler scheduler;
    private final MembershipStats stats;
    private final Prober.SelfAddress self;
    private final ArrayDeque<Queued> highPriority = new ArrayDeque<>();
    private final ArrayDeque<Queued> lowPriority = new ArrayDeque<>();
    private boolean drainScheduled;

    Receiver(MembershipConfig config, MembershipState state, Messenger messenger, AckHandlers acks,
             PushPull pushPull, Delegates delegates, Scheduler scheduler, MembershipStats stats,
             Prober.SelfAddress self) {
        this.config = config;
        this.state = state;
        this.messenger = messenger;
        this.acks = acks;
        this.pushPull = pushPull;
        this.delegates = delegates;
        this.scheduler = scheduler;
        this.stats = stats;
        this.self = self;
    }

    void onPacket(Packet p) {
        stats.packetsReceived.incrementAndGet();
        List<Message> msgs;
        try {
            msgs = messenger.wire().decodePacket(p.buf(), e -> {
                stats.malformedPackets.incrementAndGet();
                LOG.debug("Dropping malformed part of a packet from {}: {}", p.from(), e.toString());
            });
        } catch (Exception | StackOverflowError e) {
            stats.malformedPackets.incrementAndGet();
            LOG.debug("Dropping malformed packet from {}: {}", p.from(), e.toString());
            return;
        }
        for (Message m : msgs) {
            try {
                handle(m, p.from(), p.receivedNanos());
            } catch (RuntimeException e) {
                // A message that decoded but makes no sense (e.g. a bad address) must not kill the loop.
                stats.malformedPackets.incrementAndGet();
                LOG.debug("Dropping message {} from {}: {}", m.type(), p.from(), e.toString());
            }
        }
    }

    private void handle(Message m, InetSocketAddress from, long receivedNanos) {
        if (m instanceof Ping ping) {
            handlePing(ping, from);
        } else if (m instanceof IndirectPing ind) {
            handleIndirectPing(ind, from);
        } else if (m instanceof Ack ack) {
            acks.ack(ack.seqNo(), ack.payload(), receivedNanos);
        } else if (m instanceof Nack nack) {
            acks.nack(nack.seqNo());
        } else if (m instanceof Message.Alive) {
            enqueue(highPriority, m, from);
        } else if (m instanceof Message.Suspect || m instanceof Message.Dead || m instanceof Message.User) {
            enqueue(lowPriority, m, from);
        } else {
            stats.malformedPackets.incrementAndGet();
            LOG.debug("Unexpected {} in a packet from {}", m.type(), from);
        }
    }

    /** A gossiped message waiting for the protocol thread, with the address of the node that sent it. */
    private record Queued(Message m, InetSocketAddress from) {
    }

    private void enqueue(ArrayDeque<Queued> q, Message m, InetSocketAddress from) {
        if (q.size() >= config.handoffQueueDepth()) {
            stats.handoffDropped.incrementAndGet();
            LOG.warn("Handler queue full, dropping {}", m.type());
            return;
        }
        q.addLast(new Queued(m, from));
        if (!drainScheduled) {
            drainScheduled = true;
            scheduler.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled = false;
        while (true) {
            Queued q = highPriority.pollLast();
            if (q == null) {
                q = lowPriority.pollLast();
            }
            if (q == null) {
                return;
            }
            Message m = q.m();
            try {
                if (m instanceof Message.Alive a) {
                    if (a.port() == 0) {
                        // Protocol 1 senders leave the port out; memberlist assumes our own bind port.
                        a = new Message.Alive(a.incarnation(), a.node(), a.addr(), bindPort(), a.meta(), a.vsn());
                    }
                    state.aliveNode(a, null, false);
                } else if (m instanceof Message.Suspect s) {
                    answerIfStale(s.node(), s.incarnation(), q.from());
                    state.suspectNode(s);
                } else if (m instanceof Message.Dead d) {
                    state.deadNode(d);
                } else if (m instanceof Message.User u && delegates.messages() != null) {
                    delegates.messages().notifyMsg(u.payload());
                }
            } catch (RuntimeException e) {
                stats.malformedPackets.incrementAndGet();
                LOG.warn("Failed to apply {}: {}", m.type(), e.toString());
            }
        }
    }

    /**
     * Rumor, beyond memberlist: a suspicion gossiped about a node that we hold alive at a higher incarnation
     * comes from a sender that missed the node's refutation (a relay replaces a queued suspicion with the newer
     * alive, so it still had none). memberlist drops it, and the sender keeps its stale view until a push/pull:
     * it may let its suspicion time out and declare the node failed, a failure no one else shares. We answer
     * the sender with the alive we hold, one datagram for each such message (never for an alive: no loops).
     *
     * <p>A stale failure is not answered: it may be true (a node that crashed after refuting something the
     * declarer missed), and the alive would bring it back in the declarer's view, which would relay it to
     * the others that had taken the failure, until someone probes the dead node again.
     */
    private void answerIfStale(String node, long incarnation, InetSocketAddress sender) {
        NodeState st = state.get(node);
        if (st == null || st.status() != NodeStatus.ALIVE || incarnation >= st.incarnation() || sender == null) {
            return;
        }
        Node n = st.node();
        stats.staleSuspicionsAnswered.incrementAndGet();
        messenger.sendRaw(sender, List.of(messenger.wire().encode(
                new Message.Alive(n.incarnation(), n.name(), n.addr(), n.port(), n.meta(), n.vsn()))), false);
    }

    private int bindPort() {
        InetSocketAddress bind = config.bindAddress();
        return bind != null && bind.getPort() != 0 ? bind.getPort() : self.port();
    }

    private static InetSocketAddress replyAddress(byte[] sourceAddr, int sourcePort, InetSocketAddress from) {
        if (sourceAddr != null && sourceAddr.length > 0 && sourcePort > 0) {
            return Node.socketAddress(sourceAddr, sourcePort);
        }
        return from;
    }

    private void handlePing(Ping p, InetSocketAddress from) {
        if (p.node() != null && !p.node().isEmpty() && !p.node().equals(self.name())) {
            LOG.warn("Got ping for unexpected node '{}' from {}", p.node(), from);
            return;
        }
        byte[] payload = delegates.ping() == null ? null : delegates.ping().ackPayload();
        messenger.send(replyAddress(p.sourceAddr(), p.sourcePort(), from), new Ack(p.seqNo(), payload));
    }

    /**
     * Pings the target on the requester's behalf with a sequence number of our own, relays the ack
     * under the requester's number, and sends a nack if asked and nothing came within ProbeTimeout.
     */
    private void handleIndirectPing(IndirectPing ind, InetSocketAddress from) {
        int port = ind.port() == 0 ? bindPort() : ind.port();
        InetSocketAddress requester = replyAddress(ind.sourceAddr(), ind.sourcePort(), from);
        long localSeq = acks.nextSeqNo();
        boolean[] acked = new boolean[1];
        acks.register(localSeq, (payload, t) -> {
            acked[0] = true;
            messenger.send(requester, new Ack(ind.seqNo(), null));
        }, null, config.probeTimeout(), null);
        messenger.send(Node.socketAddress(ind.target(), port),
                new Ping(localSeq, ind.node(), self.addr(), self.port(), self.name()));
        if (ind.nack()) {
            scheduler.schedule(config.probeTimeout(), () -> {
                if (!acked[0]) {
                    messenger.send(requester, new Nack(ind.seqNo()));
                }
            });
        }
    }

    /** An inbound stream: push/pull, TCP fallback ping, or a reliable user message. */
    void onStream(byte[] request, InetSocketAddress from, Transport.StreamReply reply) {
        Message m;
        try {
            m = messenger.wire().decodeStream(request);
        } catch (Exception | StackOverflowError e) {
            stats.malformedStreams.incrementAndGet();
            LOG.warn("Failed to receive stream from {}: {}", from, e.toString());
            try {
                reply.send(messenger.wire().encodeStream(new Message.Err(String.valueOf(e.getMessage()))));
            } catch (RuntimeException ignored) {
                reply.close();
            }
            return;
        }
        try {
            if (m instanceof Message.PushPull pp) {
                pushPull.answer(pp, reply);
            } else if (m instanceof Ping p) {
                if (p.node() != null && !p.node().isEmpty() && !p.node().equals(self.name())) {
                    reply.close();
                } else {
                    reply.send(messenger.wire().encodeStream(new Ack(p.seqNo(), null)));
                }
            } else if (m instanceof Message.User u) {
                reply.close();
                if (delegates.messages() != null) {
                    delegates.messages().notifyMsg(u.payload());
                }
            } else {
                stats.malformedStreams.incrementAndGet();
                LOG.warn("Received invalid stream msgType {} from {}", m.type(), from);
                reply.close();
            }
        } catch (RuntimeException e) {
            stats.malformedStreams.incrementAndGet();
            LOG.warn("Failed to handle stream {} from {}: {}", m.type(), from, e.toString());
            reply.close();
        }
    }
}
