package dev.rumor.membership;

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
    /** AES-GCM version 1 overhead: version byte + 12-byte nonce + 16-byte tag. */
    static final int ENCRYPT_OVERHEAD = 29;

    private final MembershipConfig config;
    private final Transport transport;
    private final WireFormat wire;
    private final TransmitLimitedQueue queue;
    private final MessageDelegate userMessages;
    private final MembershipStats stats;
    private final boolean encrypted;

    Messenger(MembershipConfig config, Transport transport, WireFormat wire, TransmitLimitedQueue queue,
              MessageDelegate userMessages, MembershipStats stats, boolean encrypted) {
        this.config = config;
        this.transport = transport;
        this.wire = wire;
        this.queue = queue;
        this.userMessages = userMessages;
        this.stats = stats;
        this.encrypted = encrypted;
    }

    WireFormat wire() {
        return wire;
    }

    /** Bytes available for messages in one gossip packet. */
    int gossipBudget() {
        int avail = config.udpBufferSize() - COMPOUND_HEADER_OVERHEAD;
        return encrypted ? avail - ENCRYPT_OVERHEAD : avail;
    }

    /**
     * Membership broadcasts first, then whatever the user delegate wants to send in the space left,
     * each wrapped as a user message.
     */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(queue.getBroadcasts(overhead, limit));
        if (userMessages != null) {
            int used = 0;
            for (byte[] m : out) {
                used += m.length + overhead;
            }
            int avail = limit - used;
            if (avail > overhead + USER_MSG_OVERHEAD) {
                for (byte[] m : userMessages.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
                    out.add(wire.encode(new Message.User(m)));
                }
            }
        }
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
        int avail = config.udpBufferSize() - msg.length - COMPOUND_HEADER_OVERHEAD;
        if (encrypted) {
            avail -= ENCRYPT_OVERHEAD;
        }
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
        byte[] packet = wire.encodePacket(msgs, crc);
        try {
            long t = transport.sendPacket(to, packet);
            stats.packetsSent.incrementAndGet();
            return t;
        } catch (IOException | RuntimeException e) {
            stats.sendErrors.incrementAndGet();
            LOG.debug("Failed to send packet to {}: {}", to, e.toString());
            return -1;
        }
    }
}
