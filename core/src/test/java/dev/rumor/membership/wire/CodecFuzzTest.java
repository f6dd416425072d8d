package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.fail;

import dev.rumor.membership.wire.Message.Ack;
import dev.rumor.membership.wire.Message.PushPull;
import dev.rumor.membership.wire.Message.User;
import dev.rumor.security.Keyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing: thousands of corrupted real and generated packets must only ever raise
 * {@link CodecException} (or IOException from the frame reader), never anything unchecked, and never hang.
 */
class CodecFuzzTest {

    private static final long SEED = 20261127L;

    private static List<byte[]> corpus() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String h : List.of(WireVectorsTest.PING, WireVectorsTest.ACK, WireVectorsTest.USER_JOIN_CRC,
                WireVectorsTest.COMPOUND_CRC, WireVectorsTest.SUSPECT_CRC, WireVectorsTest.DEAD_CRC,
                WireVectorsTest.NACK, WireVectorsTest.INDIRECT, WireVectorsTest.PUSH_PULL_JOIN,
                WireVectorsTest.COMPRESSED_CRC, WireVectorsTest.ENCRYPTED_PLAIN)) {
            seeds.add(HexFormat.of().parseHex(h));
        }
        PacketCodec compress = new PacketCodec(null, true);
        seeds.add(compress.encodeStream(new Ack(77, new byte[40])));
        seeds.add(compress.encodeStream(new PushPull(true, List.of(), new byte[500])));
        seeds.add(Compression.wrap(HexFormat.of().parseHex(WireVectorsTest.COMPOUND_CRC.substring(10))));
        seeds.add(Codec.encodeStreamBody(new User(new byte[] {1, 2, 3})));
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        int kind = rnd.nextInt(6);
        switch (kind) {
            case 0 -> { // flip a few bits
                for (int i = rnd.nextInt(4); i >= 0; i--) {
                    int at = rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
            case 2 -> { // overwrite with an interesting byte (length/format markers)
                int[] interesting = {0x00, 0x7f, 0x80, 0xc0, 0xc1, 0xc4, 0xc6, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
                        0xff, 0x07, 0x09, 0x0c};
                for (int i = rnd.nextInt(3); i >= 0; i--) {
                    b[rnd.nextInt(b.length)] = (byte) interesting[rnd.nextInt(interesting.length)];
                }
            }
            case 3 -> { // random bytes in a window
                int at = rnd.nextInt(b.length);
                for (int i = at; i < Math.min(b.length, at + 1 + rnd.nextInt(8)); i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 4 -> { // duplicate a slice
                int at = rnd.nextInt(b.length);
                int n = rnd.nextInt(Math.min(64, b.length - at) + 1);
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at + n);
                System.arraycopy(b, at, c, at + n, b.length - at);
                b = c;
            }
            default -> { // pure garbage
                b = new byte[rnd.nextInt(100)];
                rnd.nextBytes(b);
            }
        }
        return b;
    }

    @Test
    void mutatedPacketsOnlyRaiseCodecExceptions() throws Exception {
        Random rnd = new Random(SEED);
        List<byte[]> seeds = corpus();
        Keyring ring = Keyring.of(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        PacketCodec plain = new PacketCodec(null, true);
        PacketCodec encrypted = new PacketCodec(ring, true);
        List<byte[]> encryptedSeeds = new ArrayList<>();
        for (byte[] s : seeds) {
            encryptedSeeds.add(encrypted.encodePacket(List.of(s), false));
        }
        for (int i = 0; i < 4000; i++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] m = mutate(seed, rnd);
            check(m, () -> plain.decodePacket(m, e -> { }));
            check(m, () -> Codec.decode(m));
            check(m, () -> Codec.decodeStreamBody(m));
            check(m, () -> plain.decodeStream(m));
            check(m, () -> Lzw.decompress(m, 1 << 20));
            try {
                PacketCodec.readFrame(new ByteArrayInputStream(m));
            } catch (IOException expected) {
                // fine
            } catch (RuntimeException | Error e) {
                fail("frame reader threw " + e + " for " + HexFormat.of().formatHex(m), e);
            }
            byte[] em = mutate(encryptedSeeds.get(rnd.nextInt(encryptedSeeds.size())), rnd);
            check(em, () -> encrypted.decodePacket(em, e -> { }));
            check(em, () -> encrypted.decodeStream(em));
        }
    }

    private interface Decode {
        Object run() throws CodecException;
    }

    private static void check(byte[] input, Decode d) {
        try {
            d.run();
        } catch (CodecException expected) {
            // fine
        } catch (RuntimeException | Error e) {
            fail("unexpected " + e + " for " + HexFormat.of().formatHex(input), e);
        }
    }
}
