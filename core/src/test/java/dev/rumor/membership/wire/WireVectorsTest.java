package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Dead;
import dev.rumor.membership.wire.Message.IndirectPing;
import dev.rumor.membership.wire.Message.Nack;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.membership.wire.Message.PushNodeState;
import dev.rumor.membership.wire.Message.PushPull;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.membership.wire.Message.User;
import dev.rumor.security.Keyring;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The annotated real captures of wire-protocol.md §2.6, §2.7, §3 and §4.1, decoded and re-encoded. */
class WireVectorsTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] LOCALHOST = {127, 0, 0, 1};
    static final byte[] VSN = {1, 5, 2, 2, 5, 5};

    static final String PING = "0085a44e6f6465a5616c706861a55365714e6f01aa536f7572636541646472a47f000001"
            + "aa536f757263654e6f6465a462657461aa536f75726365506f7274cd461b";
    static final String COORDINATE = "0184aa41646a7573746d656e74cb0000000000000000a54572726f72cb3ff8000000000000"
            + "a6486569676874cb3ee4f8b588e368f1a3566563" + "98" + "cb0000000000000000".repeat(8);
    static final String ACK = "0282a75061796c6f6164da0082" + COORDINATE + "a55365714e6f01";
    static final String USER_JOIN_CRC = "0caada2b16080182a54c54696d6501a44e6f6465a462657461";
    static final String ALIVE_ALPHA = "0486a441646472a47f000001ab496e6361726e6174696f6e01a44d657461"
            + "b3ff82a26463a465617374a4726f6c65a3776562a44e6f6465a5616c706861a4506f7274cd461aa356736ea6010502020505";
    static final String ALIVE_BETA = "0486a441646472a47f000001ab496e6361726e6174696f6e01a44d657461"
            + "aaff81a4726f6c65a26462a44e6f6465a462657461a4506f7274cd461ba356736ea6010502020505";
    static final String COMPOUND_CRC = "0c9323313e" + "070200500046" + ALIVE_ALPHA + ALIVE_BETA;
    static final String SUSPECT_CRC = "0cda3f3b660383a446726f6da462657461ab496e6361726e6174696f6e01a44e6f6465a567616d6d61";
    static final String DEAD_CRC = "0c9add4e330583a446726f6da462657461ab496e6361726e6174696f6e02a44e6f6465a462657461";
    static final String NACK = "0b81a55365714e6f34";
    static final String INDIRECT = "0188a44e61636bc3a44e6f6465a567616d6d61a4506f7274cd461ca55365714e6f2f"
            + "aa536f7572636541646472a47f000001aa536f757263654e6f6465a462657461aa536f75726365506f7274cd461b"
            + "a6546172676574a47f000001";
    static final String SERF_STATE = "0286aa4576656e744c54696d6501a64576656e7473dc0200" + "c0".repeat(512)
            + "a54c54696d6501ab4c6566744d656d6265727390aa51756572794c54696d6501ac5374617475734c54696d657381a46265746100";
    static final String PUSH_PULL_JOIN = "0683a44a6f696ec3a54e6f64657301ac5573657253746174654c656ecd024c"
            + "87a441646472a47f000001ab496e6361726e6174696f6e01a44d657461aaff81a4726f6c65a26462a44e616d65a462657461"
            + "a4506f7274cd461ba5537461746500a356736ea6010502020505" + SERF_STATE;
    static final String LZW_PLAIN = "0282a75061796c6f6164c0a55365714e6f4d";
    static final String LZW_CODED = "0005083a05254c1e366fc29001566a4a99384ede340908";
    static final String K1 = "ETCsssnlVeU7yB6V3tB3f4OjtaXu/1y2OrkaVf81sps=";
    static final String ENCRYPTED = "0170d33c77b7ba837a179c5d6258749b0cca468d34cefb4c24241c7672e33bb00748c0989a1f0f6be34a"
            + "221323964f393edf1f0a5a1fcd58a541b964c9371e02afa9d48106790daafc5e39dc38f629fa34796cd9a7fe4f81e75f338ca36a"
            + "5e78796f222bc8aa4c61b8c60346c82f3130621d60a7913c3b85d8956e2a84a0b801c3f54eb4f1dbd88e9eb4cb7350ed955ba681"
            + "c8e9f379e4d19798e32c06367af36819636eefc470f64237b9490b9dcf0fed1eb42ca07b8652b3";
    static final String ENCRYPTED_PLAIN = "0c7e8633900702004900480486a441646472a47f000001ab496e6361726e6174696f6e01"
            + "a44d657461aaff81a4726f6c65a26c62a44e6f6465a7657073696c6f6ea4506f7274cd461fa356736ea601050202050504"
            + "86a441646472a47f000001ab496e6361726e6174696f6e01a44d657461abff81a4726f6c65a3776562a44e6f6465a564656c"
            + "7461a4506f7274cd461ea356736ea6010502020505";
    static final String COMPRESSED_CRC = "0c0579401c0982a4416c676f00a3427566da009d000f0c0090040012001708182215840c"
            + "1939a4fe0000106055123763c2c87113864e9a376e02906a52864e1855ff029192f3864d19516cc49072f2864c995365e0cc49c3"
            + "062429286fe4d06966e4c3282b73dc980a504080800205143274085122458b183572f40852244993ab52ae6c5966d49d323269da"
            + "2c65938dc99f41871af17034e9d2a64f0b200820a814132a69da9411a9f666ce9d3ddd0404";

    static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static String str(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static List<Message> decodePlain(String packet) throws CodecException {
        List<CodecException> errors = new ArrayList<>();
        List<Message> out = new PacketCodec(null, false).decodePacket(hex(packet), errors::add);
        assertEquals(List.of(), errors);
        return out;
    }

    @Test
    void ping() throws Exception {
        assertEquals(66, hex(PING).length);
        Ping p = (Ping) Codec.decode(hex(PING));
        assertEquals(1, p.seqNo());
        assertEquals("alpha", p.node());
        assertArrayEquals(LOCALHOST, p.sourceAddr());
        assertEquals(17947, p.sourcePort());
        assertEquals("beta", p.sourceNode());
        assertEquals(PING, hex(Codec.encode(p)));
        assertEquals(PING, hex(Codec.encode(new Ping(1, "alpha", LOCALHOST, 17947, "beta"))));
    }

    @Test
    void ackWithCoordinatePayload() throws Exception {
        Ack a = (Ack) Codec.decode(hex(ACK));
        assertEquals(1, a.seqNo());
        assertEquals(130, a.payload().length);
        assertEquals(COORDINATE, hex(a.payload()));
        assertEquals(ACK, hex(Codec.encode(a)));
    }

    @Test
    void userMessageWithCrc() throws Exception {
        List<Message> msgs = decodePlain(USER_JOIN_CRC);
        assertEquals(1, msgs.size());
        User u = (User) msgs.get(0);
        assertEquals("0182a54c54696d6501a44e6f6465a462657461", hex(u.payload()));
        assertEquals(USER_JOIN_CRC, hex(new PacketCodec(null, false).encodePacket(List.of(Codec.encode(u)), true)));
    }

    @Test
    void compoundOfTwoAlivesWithCrc() throws Exception {
        List<Message> msgs = decodePlain(COMPOUND_CRC);
        assertEquals(2, msgs.size());
        Alive alpha = (Alive) msgs.get(0);
        assertEquals("alpha", alpha.node());
        assertEquals(1, alpha.incarnation());
        assertArrayEquals(LOCALHOST, alpha.addr());
        assertEquals(17946, alpha.port());
        assertEquals("ff82a26463a465617374a4726f6c65a3776562", hex(alpha.meta()));
        assertArrayEquals(VSN, alpha.vsn());
        Alive beta = (Alive) msgs.get(1);
        assertEquals("beta", beta.node());
        assertEquals(17947, beta.port());
        assertEquals(ALIVE_ALPHA, hex(Codec.encode(alpha)));
        assertEquals(ALIVE_BETA, hex(Codec.encode(beta)));
        // compression must not be used when it does not shrink the packet: same bytes with compress on
        for (boolean compress : new boolean[] {false, true}) {
            byte[] again = new PacketCodec(null, compress).encodePacket(
                    List.of(Codec.encode(alpha), Codec.encode(beta)), true);
            assertEquals(COMPOUND_CRC, hex(again));
        }
    }

    @Test
    void suspectDeadNack() throws Exception {
        Suspect s = (Suspect) decodePlain(SUSPECT_CRC).get(0);
        assertEquals("beta", s.from());
        assertEquals(1, s.incarnation());
        assertEquals("gamma", s.node());
        assertEquals(SUSPECT_CRC, hex(Crc.wrap(Codec.encode(s))));
        Dead d = (Dead) decodePlain(DEAD_CRC).get(0);
        assertEquals("beta", d.from());
        assertEquals("beta", d.node());
        assertEquals(2, d.incarnation());
        assertEquals(DEAD_CRC, hex(Crc.wrap(Codec.encode(d))));
        Nack n = (Nack) Codec.decode(hex(NACK));
        assertEquals(52, n.seqNo());
        assertEquals(NACK, hex(Codec.encode(n)));
    }

    @Test
    void indirectPing() throws Exception {
        assertEquals(92, hex(INDIRECT).length);
        IndirectPing p = (IndirectPing) Codec.decode(hex(INDIRECT));
        assertTrue(p.nack());
        assertEquals("gamma", p.node());
        assertEquals(17948, p.port());
        assertEquals(0x2f, p.seqNo());
        assertArrayEquals(LOCALHOST, p.sourceAddr());
        assertEquals("beta", p.sourceNode());
        assertEquals(17947, p.sourcePort());
        assertArrayEquals(LOCALHOST, p.target());
        assertEquals(INDIRECT, hex(Codec.encode(p)));
    }

    @Test
    void pushPullJoinRequest() throws Exception {
        byte[] wire = hex(PUSH_PULL_JOIN);
        assertEquals(695, wire.length);
        PushPull pp = (PushPull) Codec.decode(wire);
        assertTrue(pp.join());
        assertEquals(1, pp.nodes().size());
        PushNodeState n = pp.nodes().get(0);
        assertEquals("beta", n.name());
        assertArrayEquals(LOCALHOST, n.addr());
        assertEquals(17947, n.port());
        assertEquals(1, n.incarnation());
        assertEquals(0, n.state());
        assertArrayEquals(VSN, n.vsn());
        assertEquals("ff81a4726f6c65a26462", hex(n.meta()));
        assertEquals(588, pp.userState().length);
        assertEquals(SERF_STATE, hex(pp.userState()));
        assertEquals(PUSH_PULL_JOIN, hex(Codec.encode(pp)));
        // stream framing: uncompressed, unencrypted push/pull is the message itself, and the frame reader
        // finds exactly its end on a stream carrying more bytes after it
        assertEquals(PUSH_PULL_JOIN, hex(new PacketCodec(null, false).encodeStream(pp)));
        ByteArrayInputStream in = new ByteArrayInputStream(hex(PUSH_PULL_JOIN + "deadbeef"));
        byte[] frame = new PacketCodec(null, false).frameReader().readFrame(in);
        assertEquals(PUSH_PULL_JOIN, hex(frame));
        assertEquals(4, in.available());
    }

    @Test
    void lzwVector() throws Exception {
        assertEquals(LZW_CODED, hex(Lzw.compress(hex(LZW_PLAIN))));
        assertEquals(LZW_PLAIN, hex(Lzw.decompress(hex(LZW_CODED), 1000)));
    }

    @Test
    void compressedStreamAck() throws Exception {
        // §3.3: the agent answered a stream ping for SeqNo 77 with exactly these bytes
        String wire = "0982a4416c676f00a3427566b7" + LZW_CODED;
        PacketCodec codec = new PacketCodec(null, true);
        assertEquals(wire, hex(codec.encodeStream(new Ack(77, null))));
        Ack a = (Ack) codec.decodeStream(hex(wire));
        assertEquals(77, a.seqNo());
        assertNull(a.payload());
        // receivers accept compressed input whatever their own setting
        assertEquals(77, ((Ack) new PacketCodec(null, false).decodeStream(hex(wire))).seqNo());
        assertEquals(wire, hex(codec.frameReader().readFrame(new ByteArrayInputStream(hex(wire + "00")))));
    }

    @Test
    void compressedPacketWithCrcReencodesIdentically() throws Exception {
        byte[] wire = hex(COMPRESSED_CRC);
        assertEquals(177, wire.length);
        List<Message> msgs = decodePlain(COMPRESSED_CRC);
        assertEquals(3, msgs.size());
        assertInstanceOf(Alive.class, msgs.get(0));
        assertInstanceOf(Alive.class, msgs.get(1));
        User join = (User) msgs.get(2);
        assertEquals(1, join.payload()[0]); // serf join intent
        byte[] inner = Compression.unwrap(wire, 6, wire.length - 6, 10_000);
        assertEquals(176, inner.length);
        assertEquals(7, inner[0]);
        List<byte[]> parts = new ArrayList<>();
        for (Message m : msgs) {
            parts.add(Codec.encode(m));
        }
        assertEquals(hex(inner), hex(Compound.encode(parts)));
        assertEquals(COMPRESSED_CRC, hex(new PacketCodec(null, true).encodePacket(parts, true)));
    }

    @Test
    void encryptedPacket() throws Exception {
        Keyring ring = Keyring.of(Keyring.decodeKey(K1));
        byte[] wire = hex(ENCRYPTED);
        assertEquals(185, wire.length);
        List<CodecException> errors = new ArrayList<>();
        List<Message> msgs = new PacketCodec(ring, true).decodePacket(wire, errors::add);
        assertEquals(List.of(), errors);
        assertEquals(2, msgs.size());
        Alive epsilon = (Alive) msgs.get(0);
        Alive delta = (Alive) msgs.get(1);
        assertEquals("epsilon", epsilon.node());
        assertEquals(17951, epsilon.port());
        assertEquals("ff81a4726f6c65a26c62", hex(epsilon.meta())); // {"role":"lb"}
        assertEquals("delta", delta.node());
        assertEquals(17950, delta.port());
        // our re-encoding of the decrypted content is the captured plaintext
        byte[] plain = new PacketCodec(null, true).encodePacket(
                List.of(Codec.encode(epsilon), Codec.encode(delta)), true);
        assertEquals(ENCRYPTED_PLAIN, hex(plain));
        // and what we encrypt, the key decrypts to the same plaintext
        byte[] ours = new PacketCodec(ring, true).encodePacket(List.of(Codec.encode(epsilon), Codec.encode(delta)), true);
        assertEquals(185, ours.length);
        assertEquals(1, ours[0]);
        assertEquals(2, new PacketCodec(ring, false).decodePacket(ours, errors::add).size());
        assertFalse(hex(ours).equals(ENCRYPTED)); // fresh nonce
    }
}
