package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rumor.membership.wire.Codec;
import dev.rumor.membership.wire.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What goes into one gossip packet, and in which order. */
class MessengerTest {
    private final MembershipConfig config = MembershipConfig.lan("relay");
    private final WireFormat wire = CodecWireFormat.of(config);
    private final TransmitLimitedQueue queue = new TransmitLimitedQueue(() -> 5, 4);
    /** A node's own memberlist leave (dead with from == node), queued by the relay. */
    private final byte[] dead = wire.encode(new Message.Dead(1, "leaver", "leaver"));

    /** A relay whose memberlist queue holds {@link #dead} and whose serf layer offers {@code serf}'s messages. */
    private Messenger relay(MessageDelegate serf) {
        queue.queue(new Broadcast("leaver", dead, null));
        return new Messenger(config, null, wire, queue, serf, new MembershipStats(), 0);
    }

    @Test
    void aRelayedSerfLeaveIntentPrecedesTheMemberlistLeaveInThePacket() throws Exception {
        // the node's serf leave intent, waiting in the user delegate's queue
        byte[] intent = "leave intent of leaver".getBytes(StandardCharsets.UTF_8);
        MessageDelegate serf = new MessageDelegate() {
            @Override
            public List<byte[]> getBroadcasts(int overhead, int limit) {
                return List.of(intent);
            }
        };
        Messenger m = relay(serf);

        List<byte[]> parts = m.getBroadcasts(Messenger.COMPOUND_OVERHEAD, m.gossipBudget());

        // the receiver handles parts in order: serf must see the intent before memberlist's leave, or it
        // declares the node failed
        assertEquals(2, parts.size());
        Message first = Codec.decode(parts.get(0));
        assertInstanceOf(Message.User.class, first);
        assertEquals(new String(intent, StandardCharsets.UTF_8),
                new String(((Message.User) first).payload(), StandardCharsets.UTF_8));
        assertInstanceOf(Message.Dead.class, Codec.decode(parts.get(1)));
    }

    @Test
    void membershipBroadcastsStillGetTheSpaceFirst() {
        MessageDelegate serf = new MessageDelegate() {
            @Override
            public List<byte[]> getBroadcasts(int overhead, int limit) {
                return limit >= 100 ? List.of(new byte[100]) : List.of();
            }
        };
        Messenger m = relay(serf);
        // room for the dead message but not for the 100-byte user message as well
        List<byte[]> parts = m.getBroadcasts(Messenger.COMPOUND_OVERHEAD, dead.length + Messenger.COMPOUND_OVERHEAD + 50);
        assertEquals(1, parts.size());
        assertEquals(dead.length, parts.get(0).length);
    }
}
