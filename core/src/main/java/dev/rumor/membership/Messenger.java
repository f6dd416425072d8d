package dev.rumor.membership;

import dev.rumor.membership.wire.Compound;
import dev.rumor.membership.wire.Message;
import dev.rumor.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound packets: encodes messages, piggybacks queued broadcasts on them and hands datagrams to the
 * transport (memberlist {@code sendMsg}, {@code rawSendMsgPacket}, {@code getBroadcasts}).
 *
 * <p>Thread contract: protocol thread only.
 */
final class Messenger {
    private static final Logger LOG = LoggerFactory.getLogger(Messenger.class);

    /** Compound header: type byte + count byte (memberlist {@code compoundHeaderOverhead}). */
    static final int COMPOUND_HEADER_OVERHEAD = 2;
    /** Per-part length prefix in a compound (memberlist {@code compoundOverhead}). */
    static final int COMPOUND_OVERHEAD = 2;
    /** Type byte in front of a delegate message (memberlist {@code userMsgOverhead}). */
    static final int USER_MSG_OVERHEAD = 1;

    private final MembershipConfig config;
    private final Transport transport;
    private final WireFormat wire;
    private final TransmitLimitedQueue queue;
    private final MessageDelegate userMessages;
    private final MembershipStats stats;
    private final int encryptionOverhead;

    Messenger(MembershipConfig config, Transport transport, WireFormat wire, TransmitLimitedQueue queue,
              MessageDelegate userMessages, MembershipStats stats, int encryptionOverhead) {
        this.config = config;
        this.transport = transport;
        this.wire = wire;
        this.queue = queue;
        this.userMessages = userMessages;
        this.stats = stats;
        this.encryptionOverhead = encryptionOverhead;
    }

    WireFormat wire() {
        return wire;
    }

    /** Bytes available for messages in one gossip packet. */
    int gossipBudget() {
        return config.udpBufferSize() - COMPOUND_HEADER_OVERHEAD - encryptionOverhead;
    }

    /**
     * Membership broadcasts get the space first, then whatever the user delegate wants to send in the space
     * left, each wrapped as a user message; in the packet the user messages come first (Rumor, beyond
     * memberlist). A receiver handles a compound's parts in order, and a relay often carries a node's serf
     * leave intent and its memberlist leave together: serf decides "left" or "failed" by whether the intent
     * was seen before the memberlist leave ({@code handleNodeLeave}), so the intent must come first.
     */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> membership = queue.getBroadcasts(overhead, limit);
        if (userMessages == null) {
            return membership;
        }
        int used = 0;
        for (byte[] m : membership) {
            used += m.length + overhead;
        }
        int avail = limit - used;
        List<byte[]> out = new ArrayList<>(membership.size() + 4);
        if (avail > overhead + USER_MSG_OVERHEAD) {
            for (byte[] m : userMessages.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
                out.add(wire.encode(new Message.User(m)));
            }
        }
        out.addAll(membership);
        return out;
    }

    /**
     * Sends {@code m} with as many queued broadcasts piggybacked as fit (pings, acks, nacks,
     * indirect pings). No CRC, as the real binary does for these.
     *
     * @return the send time, or -1 if the transport failed
     */
    long send(InetSocketAddress to, Message m) {
        byte[] msg = wire.encode(m);
        int avail = config.udpBufferSize() - msg.length - COMPOUND_HEADER_OVERHEAD - encryptionOverhead;
        List<byte[]> extra = getBroadcasts(COMPOUND_OVERHEAD, avail);
        if (extra.isEmpty()) {
            return sendRaw(to, List.of(msg), false);
        }
        List<byte[]> all = new ArrayList<>(1 + extra.size());
        all.add(msg);
        all.addAll(extra);
        return sendRaw(to, all, false);
    }

    /**
     * Sends already encoded messages as one datagram (a compound if several), adding a CRC when asked
     * (the caller passes {@code target pmax ≥ 5}).
     *
     * @return the send time, or -1 if the transport failed
     */
    long sendRaw(InetSocketAddress to, List<byte[]> msgs, boolean crc) {
        // memberlist 0.2.2 misparses compounds of 128+ parts, so many tiny messages go in several datagrams.
        long t = -1;
        for (int i = 0; i < msgs.size(); i += Compound.MAX_PARTS) {
            byte[] packet = wire.encodePacket(msgs.subList(i, Math.min(msgs.size(), i + Compound.MAX_PARTS)), crc);
            try {
                t = transport.sendPacket(to, packet);
                stats.packetsSent.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                stats.sendErrors.incrementAndGet();
                LOG.debug("Failed to send packet to {}: {}", to, e.toString());
                return -1;
            }
        }
        return t;
    }
}
