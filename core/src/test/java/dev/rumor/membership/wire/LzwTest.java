package dev.rumor.membership.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LzwTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void emptyInputIsClearThenEof() throws Exception {
        assertEquals("000302", HEX.formatHex(Lzw.compress(new byte[0])));
        assertEquals(0, Lzw.decompress(HEX.parseHex("000302"), 10).length);
    }

    @Test
    void singleByteAndRuns() throws Exception {
        // CLEAR(256), 'a'(97), EOF(257), 9 bits each, LSB first: 256 | 97 << 9 | 257 << 18 = 0x0404c300
        assertEquals("00c30404", HEX.formatHex(Lzw.compress(new byte[] {'a'})));
        for (int n : new int[] {1, 2, 3, 4, 5, 100, 5000, 100_000}) {
            byte[] run = new byte[n];
            Arrays.fill(run, (byte) 'x');
            byte[] c = Lzw.compress(run);
            assertArrayEquals(run, Lzw.decompress(c, n), "run " + n); // exercises KwKwK on every step
        }
    }

    @Test
    void randomDataCrossesTheTableResetManyTimes() throws Exception {
        Random rnd = new Random(99);
        byte[] data = new byte[200_000];
        rnd.nextBytes(data);
        byte[] c = Lzw.compress(data);
        // incompressible: ~12 bits per byte at full width, so well over 4095 codes and dozens of resets
        assertTrue(c.length > data.length, "random data expands");
        assertArrayEquals(data, Lzw.decompress(c, data.length));
        assertTrue(Lzw.clearCodes(c, data.length) > 40, "table resets");
        assertThrows(CodecException.class, () -> Lzw.decompress(c, data.length - 1));
    }

    @Test
    void compressibleDataRoundTripsAtEverySize() throws Exception {
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder();
        String[] words = {"alive", "suspect", "dead", "Incarnation", "Node", "Addr", "Meta", "role", "web", "db"};
        while (sb.length() < 300_000) {
            sb.append(words[rnd.nextInt(words.length)]).append(rnd.nextInt(50));
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] c = Lzw.compress(text);
        assertTrue(c.length < text.length / 2);
        assertArrayEquals(text, Lzw.decompress(c, text.length));
        for (int n = 0; n < 3000; n += 1 + n / 10) {
            byte[] prefix = Arrays.copyOf(text, n);
            assertArrayEquals(prefix, Lzw.decompress(Lzw.compress(prefix), n));
        }
        // lengths that end exactly around a reset boundary: sweep inputs whose code count passes 3838
        byte[] rand = new byte[8000];
        rnd.nextBytes(rand);
        for (int n = 3780; n < 3900; n++) {
            byte[] p = Arrays.copyOf(rand, n);
            assertArrayEquals(p, Lzw.decompress(Lzw.compress(p), n), "length " + n);
        }
    }

    @Test
    void decoderRejectsBrokenStreams() throws Exception {
        byte[] good = Lzw.compress("hello hello hello".getBytes(StandardCharsets.US_ASCII));
        // missing EOF: cut the last byte(s)
        assertThrows(CodecException.class, () -> Lzw.decompress(Arrays.copyOf(good, good.length - 2), 100));
        assertThrows(CodecException.class, () -> Lzw.decompress(new byte[0], 100));
        // CLEAR then code 300 (undefined) at 9 bits: 256 | 300 << 9
        int v = 256 | 300 << 9;
        assertThrows(CodecException.class,
                () -> Lzw.decompress(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16)}, 100));
        // CLEAR then code 258 == hi with no previous code
        int w = 256 | 258 << 9;
        assertThrows(CodecException.class,
                () -> Lzw.decompress(new byte[] {(byte) w, (byte) (w >> 8), (byte) (w >> 16)}, 100));
        // output bound
        assertThrows(CodecException.class, () -> Lzw.decompress(good, 5));
        // trailing bytes after EOF are ignored, as in Go
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertEquals("hello hello hello", new String(Lzw.decompress(trailing, 100), StandardCharsets.US_ASCII));
    }
}
