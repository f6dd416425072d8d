package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.Alive;
import dev.rumor.membership.wire.Message.Err;
import dev.rumor.membership.wire.Message.Nack;
import dev.rumor.membership.wire.Message.Ping;
import dev.rumor.membership.wire.Message.PushPull;
import dev.rumor.membership.wire.Message.Suspect;
import dev.rumor.membership.wire.Message.User;
import dev.rumor.security.Keyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketCodecTest {

    private static final byte[] K1 = key(1);
    private static final byte[] K2 = key(2);

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    private static byte[] nack(long seq) {
        return Codec.encode(new Nack(seq));
    }

    private static List<Long> seqs(List<Message> msgs) {
        List<Long> out = new ArrayList<>();
        for (Message m : msgs) {
            out.add(((Nack) m).seqNo());
        }
        return out;
    }

    private static List<Message> decode(PacketCodec codec, byte[] packet, List<CodecException> errors) throws CodecException {
        return codec.decodePacket(packet, errors::add);
    }

    @Test
    void layersNestInAnyOrderOnReceive() throws Exception {
        PacketCodec codec = new PacketCodec(null, false);
        byte[] inner = Compound.encode(List.of(nack(2), Compression.wrap(nack(3))));
        byte[] packet = Crc.wrap(Compression.wrap(Compound.encode(List.of(nack(1), inner, Compression.wrap(
                Compound.encode(List.of(nack(4), nack(5))))))));
        List<CodecException> errors = new ArrayList<>();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(decode(codec, packet, errors)));
        assertEquals(List.of(), errors);
    }

    @Test
    void brokenCompoundPartsAreReportedAndTheRestKept() throws Exception {
        PacketCodec codec = new PacketCodec(null, false);
        byte[] bad = {11, (byte) 0x81, (byte) 0xa5, 'S'};
        byte[] unknown = {(byte) 0xf4, 1};
        byte[] nestedCrc = Crc.wrap(nack(9));
        byte[] packet = Compound.encode(List.of(nack(1), bad, nack(2), unknown, new byte[0], nestedCrc, nack(3)));
        List<CodecException> errors = new ArrayList<>();
        assertEquals(List.of(1L, 2L, 3L), seqs(decode(codec, packet, errors)));
        assertEquals(4, errors.size());
        // truncated: announce 3 parts, deliver 1.5
        byte[] full = Compound.encode(List.of(nack(1), nack(2), nack(3)));
        byte[] cut = Arrays.copyOf(full, full.length - nack(3).length - 2);
        errors.clear();
        assertEquals(List.of(1L), seqs(decode(codec, cut, errors)));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("2 truncated"));
    }

    @Test
    void wholePacketFailuresThrow() {
        PacketCodec codec = new PacketCodec(null, true);
        byte[] crc = Crc.wrap(nack(1));
        crc[crc.length - 1] ^= 1;
        List<byte[]> bad = List.of(crc, new byte[0], new byte[] {7}, new byte[] {7, 3, 0}, new byte[] {9, (byte) 0x80},
                new byte[] {9, (byte) 0x81, (byte) 0xa4, 'A', 'l', 'g', 'o', 1}, new byte[] {(byte) 0xf4, 3, 'a', 'b', 'c'},
                Codec.encode(new PushPull(true, List.of(), new byte[0])), Codec.encode(new Err("x")));
        for (byte[] b : bad) {
            assertThrows(CodecException.class, () -> codec.decodePacket(b, e -> { }), HexFormat.of().formatHex(b));
        }
        // compress nested beyond the depth limit
        byte[] deep = nack(1);
        for (int i = 0; i <= PacketCodec.MAX_DEPTH; i++) {
            deep = Compression.wrap(deep);
        }
        byte[] tooDeep = deep;
        assertThrows(CodecException.class, () -> codec.decodePacket(tooDeep, e -> { }));
    }

    @Test
    void decompressionIsBoundedPerPacket() {
        // 127 parts each expanding to ~1 MiB would be 127 MiB; the packet budget stops it
        byte[] big = Codec.encode(new User(new byte[1 << 20]));
        byte[] bomb = Compression.wrap(big);
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            parts.add(bomb);
        }
        List<CodecException> errors = new ArrayList<>();
        byte[] packet = Compound.encode(parts);
        assertTrue(packet.length < 65536);
        List<Message> out = assertDoesNotThrowCodec(() -> new PacketCodec(null, false).decodePacket(packet, errors::add));
        assertTrue(out.size() <= 4, "decoded " + out.size());
        assertTrue(errors.size() >= 6);
    }

    private interface Call<T> {
        T call() throws CodecException;
    }

    private static <T> T assertDoesNotThrowCodec(Call<T> c) {
        try {
            return c.call();
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void compressionOnlyWhenSmaller() throws Exception {
        PacketCodec codec = new PacketCodec(null, true);
        byte[] small = nack(1);
        assertArrayEquals(small, codec.encodePacket(List.of(small), false));
        byte[] meta = new byte[400];
        Alive a = new Alive(1, "node", new byte[] {127, 0, 0, 1}, 7946, meta, new byte[] {1, 5, 2, 2, 5, 5});
        byte[] packet = codec.encodePacket(List.of(Codec.encode(a), Codec.encode(a)), false);
        assertEquals(9, packet[0]);
        List<Message> back = codec.decodePacket(packet, e -> { });
        assertEquals(2, back.size());
        assertEquals("node", ((Alive) back.get(1)).node());
        assertThrows(IllegalArgumentException.class, () -> codec.encodePacket(List.of(), false));
    }

    @Test
    void encryptedPacketsAndKeyRotation() throws Exception {
        Keyring sender = Keyring.of(K2);
        Keyring receiver = Keyring.of(K1, K2);
        byte[] packet = new PacketCodec(sender, true).encodePacket(List.of(nack(5), nack(6)), true);
        assertEquals(1, packet[0]);
        assertEquals(List.of(5L, 6L), seqs(new PacketCodec(receiver, false).decodePacket(packet, e -> { })));
        // plaintext to an encrypted node, ciphertext with an unknown key, ciphertext to a plaintext node
        assertThrows(CodecException.class, () -> new PacketCodec(receiver, true).decodePacket(nack(1), e -> { }));
        assertThrows(CodecException.class, () -> new PacketCodec(Keyring.of(K1), true).decodePacket(packet, e -> { }));
        assertThrows(CodecException.class, () -> new PacketCodec(null, true).decodePacket(packet, e -> { }));
        byte[] tampered = packet.clone();
        tampered[20] ^= 1;
        assertThrows(CodecException.class, () -> new PacketCodec(receiver, true).decodePacket(tampered, e -> { }));
        CodecException small = assertThrows(CodecException.class,
                () -> new PacketCodec(receiver, true).decodePacket(new byte[] {1, 2, 3}, e -> { }));
        assertTrue(small.getMessage().contains("Payload is too small to decrypt"));
        // encryption overhead is exactly 29 for version 1
        assertEquals(29, new PacketCodec(sender, false).encryptionOverhead());
        assertEquals(nack(7).length + 29, new PacketCodec(sender, false).encodePacket(List.of(nack(7)), false).length);
    }

    @Test
    void encryptedStreams() throws Exception {
        Keyring ring = Keyring.of(K1);
        PacketCodec enc = new PacketCodec(ring, true);
        PushPull pp = new PushPull(true, List.of(), new byte[] {1, 2, 3});
        byte[] frame = enc.encodeStream(pp);
        assertEquals(10, frame[0]);
        int len = ((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8) | (frame[4] & 0xff);
        assertEquals(frame.length - 5, len);
        PushPull back = (PushPull) new PacketCodec(Keyring.of(K2, K1), false).decodeStream(frame);
        assertArrayEquals(new byte[] {1, 2, 3}, back.userState());
        assertArrayEquals(frame, enc.frameReader().readFrame(new ByteArrayInputStream(frame)));
        // the header is authenticated: a different length byte breaks decryption even if the body fits
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        longer[4]++;
        assertThrows(CodecException.class, () -> enc.decodeStream(longer));
        assertEquals("Remote state is encrypted and encryption is not configured",
                assertThrows(CodecException.class, () -> new PacketCodec(null, true).decodeStream(frame)).getMessage());
        byte[] plain = new PacketCodec(null, true).encodeStream(pp);
        assertEquals("Encryption is configured but remote state is not encrypted",
                assertThrows(CodecException.class, () -> enc.decodeStream(plain)).getMessage());
        assertThrows(CodecException.class, () -> new PacketCodec(Keyring.of(K2), true).decodeStream(frame));
        assertThrows(CodecException.class, () -> enc.decodeStream(Arrays.copyOf(frame, frame.length - 1)));
        assertThrows(CodecException.class, () -> enc.decodeStream(new byte[] {10, 0, 0}));
        byte[] huge = {10, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertTrue(assertThrows(CodecException.class, () -> enc.decodeStream(huge)).getMessage()
                .startsWith("Remote node state is larger than limit"));
        assertThrows(IOException.class, () -> PacketCodec.readFrame(new ByteArrayInputStream(huge)));
    }

    @Test
    void streamCompressionIsUnconditional() throws Exception {
        byte[] frame = new PacketCodec(null, true).encodeStream(new Ack(77, null));
        assertEquals(9, frame[0]);
        assertTrue(frame.length > Codec.encode(new Ack(77, null)).length);
        assertEquals(77, ((Ack) new PacketCodec(null, false).decodeStream(frame)).seqNo());
        // a stream compress layer inside a compress layer is not something memberlist accepts
        byte[] twice = Compression.wrap(frame);
        assertThrows(CodecException.class, () -> new PacketCodec(null, true).decodeStream(twice));
    }

    @Test
    void frameReaderFindsTheEndOfEveryStreamMessage() throws Exception {
        PacketCodec plain = new PacketCodec(null, false);
        List<Message> msgs = List.of(new Ping(1, "n", new byte[] {1, 2, 3, 4}, 7946, "me"), new Ack(2, new byte[300]),
                new Err("boom"), new User(new byte[] {1, 2, 3}), new User(new byte[0]),
                new PushPull(false, List.of(new Message.PushNodeState("a", new byte[4], 1, null, 1, 3, new byte[6])),
                        new byte[70_000]));
        for (Message m : msgs) {
            for (PacketCodec codec : List.of(plain, new PacketCodec(null, true), new PacketCodec(Keyring.of(K1), true))) {
                byte[] frame = codec.encodeStream(m);
                byte[] trailing = Arrays.copyOf(frame, frame.length + 7);
                InputStream in = new ByteArrayInputStream(trailing);
                assertArrayEquals(frame, codec.frameReader().readFrame(in), m.type().name());
                assertEquals(7, in.available());
                assertEquals(m.type(), codec.decodeStream(frame).type());
                for (int cut = 1; cut < frame.length; cut += Math.max(1, frame.length / 50)) {
                    byte[] truncated = Arrays.copyOf(frame, cut);
                    assertThrows(IOException.class, () -> codec.frameReader().readFrame(new ByteArrayInputStream(truncated)));
                }
            }
        }
        assertNull(plain.frameReader().readFrame(new ByteArrayInputStream(new byte[0])));
        for (byte type : new byte[] {1, 3, 4, 5, 7, 11, 12, 14, (byte) 0xf4}) {
            assertThrows(IOException.class, () -> plain.frameReader().readFrame(new ByteArrayInputStream(new byte[] {type, 0})));
        }
        // push/pull header lying about its user state size beyond the stream limit
        byte[] lying = dev.rumor.msgpack.MsgpackWriter.gossip().rawByte(6).mapHeader(1).string("UserStateLen")
                .uint(1L << 40).toByteArray();
        assertThrows(IOException.class, () -> plain.frameReader().readFrame(new ByteArrayInputStream(lying)));
        Suspect s = new Suspect(1, "x", "y");
        assertThrows(IOException.class, () -> plain.frameReader().readFrame(new ByteArrayInputStream(Codec.encode(s))));
    }
}
