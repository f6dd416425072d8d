package dev.rumor.membership.wire;

import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes single memberlist messages ({@code type byte + body}) byte-identically to
 * memberlist 0.2.2 / go-msgpack 0.5.5 (wire-protocol.md §2.3, §3.2): struct maps with keys in byte-wise
 * order, gossip-dialect msgpack, {@code omitempty} only for the {@code Source*} fields of ping and indirect
 * ping. Framing layers (compound, compress, CRC, encryption) are handled by {@link PacketCodec}.
 *
 * <p>Decoding is as lenient as the Go binary (any key order, unknown keys skipped, str8/bin, 4- or 16-byte
 * IPs) and as strict as needed for safety: every problem is a {@link CodecException}. Null strings in a
 * record are written as empty strings (Go strings have no nil); absent strings decode as "", absent or
 * nil byte strings as null.
 *
 * <p>User messages have two forms: on packets the delegate bytes follow the type byte directly; on streams
 * they are preceded by a {@code {"UserMsgLen": n}} header (§3.4). {@link #encode}/{@link #decode} use the
 * packet form, {@link #encodeStreamBody}/{@link #decodeStreamBody} the stream form. Push/pull and err exist
 * only on streams and are encoded the same way by both.
 *
 * <p>Stateless and thread-safe.
 */
public final class Codec {

    private Codec() {
    }

    /** {@code type byte + body}, packet form. */
    public static byte[] encode(Message m) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.rawByte(m.type().code());
        switch (m.type()) {
            case PING -> writePing(w, (Ping) m);
            case INDIRECT_PING -> writeIndirectPing(w, (IndirectPing) m);
            case ACK -> {
                Ack a = (Ack) m;
                w.mapHeader(2).string("Payload").bytes(a.payload()).string("SeqNo").uint(a.seqNo());
            }
            case NACK -> w.mapHeader(1).string("SeqNo").uint(((Nack) m).seqNo());
            case SUSPECT -> {
                Suspect s = (Suspect) m;
                w.mapHeader(3).string("From").string(str(s.from()))
                        .string("Incarnation").uint(s.incarnation()).string("Node").string(str(s.node()));
            }
            case ALIVE -> {
                Alive a = (Alive) m;
                w.mapHeader(6).string("Addr").bytes(a.addr()).string("Incarnation").uint(a.incarnation())
                        .string("Meta").bytes(a.meta()).string("Node").string(str(a.node())).string("Port").uint(a.port())
                        .string("Vsn").bytes(a.vsn());
            }
            case DEAD -> {
                Dead d = (Dead) m;
                w.mapHeader(3).string("From").string(str(d.from()))
                        .string("Incarnation").uint(d.incarnation()).string("Node").string(str(d.node()));
            }
            case PUSH_PULL -> writePushPull(w, (PushPull) m);
            case USER -> {
                byte[] payload = ((User) m).payload();
                if (payload != null) {
                    w.raw(payload);
                }
            }
            case ERR -> w.mapHeader(1).string("Error").string(str(((Err) m).error()));
            default -> throw new IllegalArgumentException("not a message: " + m.type());
        }
        return w.toByteArray();
    }

    /** {@code type byte + body}, stream form (differs from {@link #encode} only for {@link User}). */
    public static byte[] encodeStreamBody(Message m) {
        if (m instanceof User u) {
            byte[] payload = u.payload() == null ? new byte[0] : u.payload();
            return MsgpackWriter.gossip().rawByte(MessageType.USER.code())
                    .mapHeader(1).string("UserMsgLen").uint(payload.length).raw(payload).toByteArray();
        }
        return encode(m);
    }

    /** Decodes one message in packet form; trailing bytes after the msgpack body are ignored, as Go does. */
    public static Message decode(byte[] buf) throws CodecException {
        return decode(buf, 0, buf.length, false);
    }

    public static Message decode(byte[] buf, int offset, int length) throws CodecException {
        return decode(buf, offset, length, false);
    }

    /** Decodes one message in stream form. */
    public static Message decodeStreamBody(byte[] buf) throws CodecException {
        return decode(buf, 0, buf.length, true);
    }

    private static Message decode(byte[] buf, int offset, int length, boolean stream) throws CodecException {
        if (length < 1) {
            throw new CodecException("empty message");
        }
        int code = buf[offset] & 0xff;
        MessageType type = MessageType.of(code);
        if (type == null) {
            throw new CodecException("unknown message type " + code);
        }
        MsgpackReader r = new MsgpackReader(buf, offset + 1, length - 1);
        try {
            return switch (type) {
                case PING -> readPing(r);
                case INDIRECT_PING -> readIndirectPing(r);
                case ACK -> readAck(r);
                case NACK -> readNack(r);
                case SUSPECT -> readSuspect(r);
                case ALIVE -> readAlive(r);
                case DEAD -> readDead(r);
                case PUSH_PULL -> readPushPull(r);
                case USER -> stream ? readStreamUser(r) : new User(r.readRemaining());
                case ERR -> readErr(r);
                case COMPOUND, COMPRESS, ENCRYPT, HAS_CRC ->
                        throw new CodecException(type + " is a framing layer, not a message");
            };
        } catch (MsgpackException e) {
            throw new CodecException("malformed " + type + " message: " + e.getMessage(), e);
        }
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }

    private static boolean present(byte[] b) {
        return b != null && b.length > 0;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    private static void writePing(MsgpackWriter w, Ping p) {
        boolean addr = present(p.sourceAddr());
        boolean node = present(p.sourceNode());
        boolean port = p.sourcePort() != 0;
        w.mapHeader(2 + (addr ? 1 : 0) + (node ? 1 : 0) + (port ? 1 : 0));
        w.string("Node").string(str(p.node()));
        w.string("SeqNo").uint(p.seqNo());
        writeSources(w, addr, p.sourceAddr(), node, p.sourceNode(), port, p.sourcePort());
    }

    private static void writeIndirectPing(MsgpackWriter w, IndirectPing p) {
        boolean addr = present(p.sourceAddr());
        boolean node = present(p.sourceNode());
        boolean port = p.sourcePort() != 0;
        w.mapHeader(5 + (addr ? 1 : 0) + (node ? 1 : 0) + (port ? 1 : 0));
        w.string("Nack").bool(p.nack());
        w.string("Node").string(str(p.node()));
        w.string("Port").uint(p.port());
        w.string("SeqNo").uint(p.seqNo());
        writeSources(w, addr, p.sourceAddr(), node, p.sourceNode(), port, p.sourcePort());
        w.string("Target").bytes(p.target());
    }

    private static void writeSources(MsgpackWriter w, boolean addr, byte[] sourceAddr, boolean node, String sourceNode,
                                     boolean port, int sourcePort) {
        if (addr) {
            w.string("SourceAddr").bytes(sourceAddr);
        }
        if (node) {
            w.string("SourceNode").string(sourceNode);
        }
        if (port) {
            w.string("SourcePort").uint(sourcePort);
        }
    }

    private static void writePushPull(MsgpackWriter w, PushPull pp) {
        byte[] user = pp.userState() == null ? new byte[0] : pp.userState();
        List<PushNodeState> nodes = pp.nodes() == null ? List.of() : pp.nodes();
        w.mapHeader(3).string("Join").bool(pp.join()).string("Nodes").uint(nodes.size())
                .string("UserStateLen").uint(user.length);
        for (PushNodeState n : nodes) {
            w.mapHeader(7).string("Addr").bytes(n.addr()).string("Incarnation").uint(n.incarnation())
                    .string("Meta").bytes(n.meta()).string("Name").string(str(n.name())).string("Port").uint(n.port())
                    .string("State").integer(n.state()).string("Vsn").bytes(n.vsn());
        }
        w.raw(user);
    }

    private static Ping readPing(MsgpackReader r) throws MsgpackException {
        var f = new Object() {
            long seqNo;
            String node = "";
            byte[] sourceAddr;
            int sourcePort;
            String sourceNode = "";
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "SeqNo" -> f.seqNo = in.readUint32();
                case "Node" -> f.node = in.readString();
                case "SourceAddr" -> f.sourceAddr = in.readBytes();
                case "SourcePort" -> f.sourcePort = in.readUint16();
                case "SourceNode" -> f.sourceNode = in.readString();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Ping(f.seqNo, f.node, f.sourceAddr, f.sourcePort, f.sourceNode);
    }

    private static IndirectPing readIndirectPing(MsgpackReader r) throws MsgpackException {
        var f = new Object() {
            long seqNo;
            byte[] target;
            int port;
            String node = "";
            boolean nack;
            byte[] sourceAddr;
            int sourcePort;
            String sourceNode = "";
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "SeqNo" -> f.seqNo = in.readUint32();
                case "Target" -> f.target = in.readBytes();
                case "Port" -> f.port = in.readUint16();
                case "Node" -> f.node = in.readString();
                case "Nack" -> f.nack = in.readBool();
                case "SourceAddr" -> f.sourceAddr = in.readBytes();
                case "SourcePort" -> f.sourcePort = in.readUint16();
                case "SourceNode" -> f.sourceNode = in.readString();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new IndirectPing(f.seqNo, f.target, f.port, f.node, f.nack, f.sourceAddr, f.sourcePort, f.sourceNode);
    }

    private static Ack readAck(MsgpackReader r) throws MsgpackException {
        var f = new Object() {
            long seqNo;
            byte[] payload;
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "SeqNo" -> f.seqNo = in.readUint32();
                case "Payload" -> f.payload = in.readBytes();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Ack(f.seqNo, f.payload);
    }

    private static Nack readNack(MsgpackReader r) throws MsgpackException {
        long[] seq = {0};
        r.readStruct((key, in) -> {
            if (key.equals("SeqNo")) {
                seq[0] = in.readUint32();
                return true;
            }
            return false;
        });
        return new Nack(seq[0]);
    }

    /** The three-field shape shared by suspect and dead. */
    private static final class Accusation {
        long incarnation;
        String node = "";
        String from = "";

        void read(MsgpackReader r) throws MsgpackException {
            r.readStruct((key, in) -> {
                switch (key) {
                    case "Incarnation" -> incarnation = in.readUint32();
                    case "Node" -> node = in.readString();
                    case "From" -> from = in.readString();
                    default -> {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    private static Suspect readSuspect(MsgpackReader r) throws MsgpackException {
        Accusation a = new Accusation();
        a.read(r);
        return new Suspect(a.incarnation, a.node, a.from);
    }

    private static Dead readDead(MsgpackReader r) throws MsgpackException {
        Accusation a = new Accusation();
        a.read(r);
        return new Dead(a.incarnation, a.node, a.from);
    }

    private static Alive readAlive(MsgpackReader r) throws MsgpackException {
        var f = new Object() {
            long incarnation;
            String node = "";
            byte[] addr;
            int port;
            byte[] meta;
            byte[] vsn;
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "Incarnation" -> f.incarnation = in.readUint32();
                case "Node" -> f.node = in.readString();
                case "Addr" -> f.addr = in.readBytes();
                case "Port" -> f.port = in.readUint16();
                case "Meta" -> f.meta = in.readBytes();
                case "Vsn" -> f.vsn = in.readBytes();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Alive(f.incarnation, f.node, f.addr, f.port, f.meta, f.vsn);
    }

    private static PushPull readPushPull(MsgpackReader r) throws MsgpackException, CodecException {
        var h = new Object() {
            boolean join;
            long nodes;
            long userStateLen;
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "Join" -> h.join = in.readBool();
                case "Nodes" -> h.nodes = in.readLong();
                case "UserStateLen" -> h.userStateLen = in.readLong();
                default -> {
                    return false;
                }
            }
            return true;
        });
        // every node state takes at least one byte, so counts beyond the buffer are lies: fail before allocating
        if (h.nodes < 0 || h.nodes > r.remaining()) {
            throw new CodecException("push/pull announces " + h.nodes + " nodes with " + r.remaining() + " bytes left");
        }
        List<PushNodeState> nodes = new ArrayList<>((int) h.nodes);
        for (int i = 0; i < h.nodes; i++) {
            nodes.add(readNodeState(r));
        }
        if (h.userStateLen < 0 || h.userStateLen > r.remaining()) {
            throw new CodecException("push/pull announces " + h.userStateLen + " bytes of user state, "
                    + r.remaining() + " present");
        }
        return new PushPull(h.join, List.copyOf(nodes), r.readRaw((int) h.userStateLen));
    }

    private static PushNodeState readNodeState(MsgpackReader r) throws MsgpackException {
        var f = new Object() {
            String name = "";
            byte[] addr;
            int port;
            byte[] meta;
            long incarnation;
            int state;
            byte[] vsn;
        };
        r.readStruct((key, in) -> {
            switch (key) {
                case "Name" -> f.name = in.readString();
                case "Addr" -> f.addr = in.readBytes();
                case "Port" -> f.port = in.readUint16();
                case "Meta" -> f.meta = in.readBytes();
                case "Incarnation" -> f.incarnation = in.readUint32();
                case "State" -> f.state = in.readInt32();
                case "Vsn" -> f.vsn = in.readBytes();
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PushNodeState(f.name, f.addr, f.port, f.meta, f.incarnation, f.state, f.vsn);
    }

    private static User readStreamUser(MsgpackReader r) throws MsgpackException, CodecException {
        long[] len = {0};
        r.readStruct((key, in) -> {
            if (key.equals("UserMsgLen")) {
                len[0] = in.readLong();
                return true;
            }
            return false;
        });
        if (len[0] < 0 || len[0] > r.remaining()) {
            throw new CodecException("user message announces " + len[0] + " bytes, " + r.remaining() + " present");
        }
        return new User(r.readRaw((int) len[0]));
    }

    private static Err readErr(MsgpackReader r) throws MsgpackException {
        String[] error = {""};
        r.readStruct((key, in) -> {
            if (key.equals("Error")) {
                error[0] = in.readString();
                return true;
            }
            return false;
        });
        return new Err(error[0]);
    }
}
