package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.Err;
import dev.rumor.membership.wire.Message.IndirectPing;
import dev.rumor.membership.wire.Message.Nack;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.membership.wire.Message.PushPull;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.membership.wire.Message.User;
import dev.rumor.msgpack.MsgpackWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {

    private final Random rnd = new Random(1234);

    private String name() {
        int n = rnd.nextInt(3) == 0 ? 40 + rnd.nextInt(300) : rnd.nextInt(20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return rnd.nextInt(10) == 0 ? sb + "-ünï" : sb.toString();
    }

    private byte[] bytes(int max) {
        if (rnd.nextInt(8) == 0) {
            return null;
        }
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
    }

    private byte[] ip() {
        byte[] b = new byte[rnd.nextBoolean() ? 4 : 16];
        rnd.nextBytes(b);
        return b;
    }

    private long u32() {
        return rnd.nextInt(4) == 0 ? rnd.nextInt(300) : rnd.nextLong() & 0xffffffffL;
    }

    private int port() {
        return rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(65536);
    }

    private Message random(MessageType t) {
        return switch (t) {
            case PING -> new Ping(u32(), name(), rnd.nextBoolean() ? ip() : null, port(), name());
            case INDIRECT_PING -> new IndirectPing(u32(), ip(), port(), name(), rnd.nextBoolean(),
                    rnd.nextBoolean() ? ip() : null, port(), name());
            case ACK -> new Ack(u32(), bytes(rnd.nextBoolean() ? 40 : 2000));
            case NACK -> new Nack(u32());
            case SUSPECT -> new Suspect(u32(), name(), name());
            case ALIVE -> new Alive(u32(), name(), ip(), port(), bytes(512), new byte[] {1, 5, 2, 2, 5, 5});
            case DEAD -> new Dead(u32(), name(), name());
            case PUSH_PULL -> {
                List<PushNodeState> nodes = new ArrayList<>();
                int n = rnd.nextInt(20);
                for (int i = 0; i < n; i++) {
                    nodes.add(new PushNodeState(name(), ip(), port(), bytes(100), u32(), rnd.nextInt(4),
                            new byte[] {1, 5, 2, 2, 5, 5}));
                }
                byte[] state = bytes(3000);
                yield new PushPull(rnd.nextBoolean(), nodes, state == null ? new byte[0] : state);
            }
            case USER -> {
                byte[] p = bytes(1000);
                yield new User(p == null ? new byte[0] : p);
            }
            case ERR -> new Err(name());
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    private static final List<MessageType> MESSAGE_TYPES = List.of(MessageType.PING, MessageType.INDIRECT_PING,
            MessageType.ACK, MessageType.NACK, MessageType.SUSPECT, MessageType.ALIVE, MessageType.DEAD,
            MessageType.PUSH_PULL, MessageType.USER, MessageType.ERR);

    /** What memberlist sends over TCP; the others are packet-only. */
    private static final List<MessageType> STREAM_TYPES = List.of(MessageType.PING, MessageType.ACK,
            MessageType.PUSH_PULL, MessageType.USER, MessageType.ERR);

    @Test
    void everyTypeRoundTripsThroughEveryLayering() throws Exception {
        for (int round = 0; round < 100; round++) {
            for (MessageType t : MESSAGE_TYPES) {
                Message m = random(t);
                byte[] enc = Codec.encode(m);
                assertEquals(t.code(), enc[0] & 0xff);
                Message back = Codec.decode(enc);
                assertEquals(t, back.type());
                assertArrayEquals(enc, Codec.encode(back), t.name());
                byte[] streamBody = Codec.encodeStreamBody(m);
                assertArrayEquals(enc, Codec.encode(Codec.decodeStreamBody(streamBody)), t.name());
                if (!STREAM_TYPES.contains(t)) {
                    continue;
                }
                for (boolean compress : new boolean[] {false, true}) {
                    PacketCodec codec = new PacketCodec(null, compress);
                    byte[] frame = codec.encodeStream(m);
                    assertArrayEquals(frame, codec.frameReader().readFrame(new java.io.ByteArrayInputStream(frame)));
                    assertArrayEquals(enc, Codec.encode(codec.decodeStream(frame)), t.name());
                }
            }
        }
    }

    @Test
    void fieldsSurviveTheRoundTrip() throws Exception {
        Alive a = new Alive(0xfffffffeL, "node-ü", new byte[16], 65535, null, new byte[] {1, 5, 2, 2, 5, 5});
        Alive b = (Alive) Codec.decode(Codec.encode(a));
        assertEquals(0xfffffffeL, b.incarnation());
        assertEquals("node-ü", b.node());
        assertEquals(16, b.addr().length);
        assertEquals(65535, b.port());
        assertNull(b.meta());
        IndirectPing ip = new IndirectPing(7, new byte[] {10, 0, 0, 1}, 0, "t", false, null, 0, null);
        IndirectPing ip2 = (IndirectPing) Codec.decode(Codec.encode(ip));
        assertEquals(0, ip2.port());
        assertNull(ip2.sourceAddr());
        assertEquals("", ip2.sourceNode());
        // omitempty: no Source* keys at all
        assertEquals("0185a44e61636bc2a44e6f6465a174a4506f727400a55365714e6f07a6546172676574a40a000001",
                HexFormat.of().formatHex(Codec.encode(ip)));
        assertEquals("0082a44e6f6465a0a55365714e6f00", HexFormat.of().formatHex(Codec.encode(new Ping(0, null, new byte[0], 0, ""))));
        PushPull pp = (PushPull) Codec.decode(Codec.encode(new PushPull(false, List.of(), new byte[0])));
        assertEquals(0, pp.nodes().size());
        assertEquals(0, pp.userState().length);
        Err e = (Err) Codec.decode(Codec.encode(new Err("remote error")));
        assertEquals("remote error", e.error());
        assertEquals("080182", HexFormat.of().formatHex(Codec.encode(new User(new byte[] {1, (byte) 0x82}))));
        assertEquals("0881aa557365724d73674c656e02" + "0182",
                HexFormat.of().formatHex(Codec.encodeStreamBody(new User(new byte[] {1, (byte) 0x82}))));
    }

    @Test
    void decodesModernEncodingsAnyOrderAndUnknownKeys() throws Exception {
        // alive written with the IPC dialect (str8 + bin), keys reversed, extra keys, 16-byte IP, bool/int leniency
        byte[] ip16 = new byte[16];
        ip16[10] = (byte) 0xff;
        ip16[11] = (byte) 0xff;
        ip16[12] = 127;
        ip16[15] = 1;
        String longName = "n".repeat(40);
        MsgpackWriter w = MsgpackWriter.ipc().rawByte(4).mapHeader(8)
                .string("Vsn").bytes(new byte[] {1, 5, 2, 2, 5, 5})
                .string("Unknown").arrayHeader(2).mapHeader(0).float64(1)
                .string("Port").integer(17946)
                .string("Node").string(longName)
                .string("Meta").nil()
                .string("Incarnation").raw(new byte[] {(byte) 0xd3, 0, 0, 0, 0, 0, 0, 0, 9})
                .string("Addr").bytes(ip16)
                .string("incarnation").uint(99);
        Alive a = (Alive) Codec.decode(w.toByteArray());
        assertEquals(longName, a.node());
        assertEquals(9, a.incarnation());
        assertEquals(17946, a.port());
        assertArrayEquals(ip16, a.addr());
        assertNull(a.meta());
        // ping whose Nack-like bool field is given as fixint 1 (indirect ping)
        byte[] ind = MsgpackWriter.gossip().rawByte(1).mapHeader(2).string("Nack").uint(1).string("SeqNo").uint(3)
                .toByteArray();
        IndirectPing p = (IndirectPing) Codec.decode(ind);
        assertEquals(true, p.nack());
        assertEquals(3, p.seqNo());
    }

    @Test
    void rejectsWhatGoRejects() {
        // port beyond u16, negative incarnation, wrong type, framing type, unknown type, empty
        byte[] bigPort = MsgpackWriter.gossip().rawByte(4).mapHeader(1).string("Port").uint(65536).toByteArray();
        byte[] negInc = MsgpackWriter.gossip().rawByte(3).mapHeader(1).string("Incarnation").integer(-1).toByteArray();
        byte[] strSeq = MsgpackWriter.gossip().rawByte(11).mapHeader(1).string("SeqNo").string("1").toByteArray();
        for (byte[] bad : List.of(bigPort, negInc, strSeq, new byte[] {7, 0}, new byte[] {9}, new byte[] {12},
                new byte[] {(byte) 0xf4, 1, 2}, new byte[] {14}, new byte[0], new byte[] {0}, new byte[] {0, (byte) 0x81})) {
            assertThrows(CodecException.class, () -> Codec.decode(bad), HexFormat.of().formatHex(bad));
        }
        // push/pull whose counts exceed the buffer
        byte[] lyingNodes = MsgpackWriter.gossip().rawByte(6).mapHeader(1).string("Nodes").uint(1_000_000_000)
                .toByteArray();
        byte[] lyingState = MsgpackWriter.gossip().rawByte(6).mapHeader(1).string("UserStateLen").uint(10).raw(new byte[3])
                .toByteArray();
        byte[] negative = MsgpackWriter.gossip().rawByte(6).mapHeader(1).string("Nodes").integer(-1).toByteArray();
        byte[] lyingUser = MsgpackWriter.gossip().rawByte(8).mapHeader(1).string("UserMsgLen").uint(5).toByteArray();
        assertThrows(CodecException.class, () -> Codec.decode(lyingNodes));
        assertThrows(CodecException.class, () -> Codec.decode(lyingState));
        assertThrows(CodecException.class, () -> Codec.decode(negative));
        assertThrows(CodecException.class, () -> Codec.decodeStreamBody(lyingUser));
    }
}
