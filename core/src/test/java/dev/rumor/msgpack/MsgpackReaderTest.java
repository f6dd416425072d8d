package dev.rumor.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MsgpackReaderTest {

    private static MsgpackReader r(String hex) {
        return new MsgpackReader(HexFormat.of().parseHex(hex));
    }

    @Test
    void anyIntegerFamilyReadsIntoLong() throws Exception {
        assertEquals(5, r("05").readLong());
        assertEquals(-1, r("ff").readLong());
        assertEquals(200, r("ccc8").readLong());
        assertEquals(17947, r("cd461b").readLong());
        assertEquals(3_200_000_000L, r("cebebc2000").readLong());
        assertEquals(1L << 40, r("cf0000010000000000").readLong());
        assertEquals(-100, r("d09c").readLong());
        assertEquals(-200, r("d1ff38").readLong());
        assertEquals(Integer.MIN_VALUE, r("d280000000").readLong());
        assertEquals(Long.MIN_VALUE, r("d38000000000000000").readLong());
        assertEquals(5, r("d30000000000000005").readUint8());
        assertEquals(0, r("c0").readLong());
        assertThrows(MsgpackException.class, () -> r("cf8000000000000000").readLong());
        assertEquals(-1L, r("cfffffffffffffffff").readUint64());
    }

    @Test
    void integerRangeChecksFollowTheGoFieldWidth() throws Exception {
        assertEquals(65535, r("cdffff").readUint16());
        assertThrows(MsgpackException.class, () -> r("ce00010000").readUint16());
        assertThrows(MsgpackException.class, () -> r("ff").readUint16());
        assertThrows(MsgpackException.class, () -> r("ff").readUint32());
        assertEquals(0xffffffffL, r("ceffffffff").readUint32());
        assertThrows(MsgpackException.class, () -> r("cf0000000100000000").readUint32());
        assertThrows(MsgpackException.class, () -> r("cd0100").readUint8());
        assertThrows(MsgpackException.class, () -> r("a161").readLong());
        assertThrows(MsgpackException.class, () -> r("cb3ff8000000000000").readLong());
    }

    @Test
    void boolAcceptsFixintZeroAndOne() throws Exception {
        assertTrue(r("c3").readBool());
        assertFalse(r("c2").readBool());
        assertTrue(r("01").readBool());
        assertFalse(r("00").readBool());
        assertFalse(r("c0").readBool());
        assertThrows(MsgpackException.class, () -> r("02").readBool());
        assertThrows(MsgpackException.class, () -> r("a0").readBool());
    }

    @Test
    void floatsFromFloatOrInteger() throws Exception {
        assertEquals(1.5, r("cb3ff8000000000000").readDouble());
        assertEquals(1.5, r("ca3fc00000").readDouble());
        assertEquals(7.0, r("07").readDouble());
        assertEquals(-3.0, r("fd").readDouble());
        assertEquals(1.8446744073709552E19, r("cfffffffffffffffff").readDouble());
        assertThrows(MsgpackException.class, () -> r("a0").readDouble());
    }

    @Test
    void stringsAndBytesFromEveryRawAndBinForm() throws Exception {
        assertEquals("beta", r("a462657461").readString());
        assertEquals("beta", r("d90462657461").readString());
        assertEquals("beta", r("da000462657461").readString());
        assertEquals("beta", r("db0000000462657461").readString());
        assertEquals("beta", r("c40462657461").readString());
        assertEquals("", r("c0").readString());
        assertNull(r("c0").readStringOrNull());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, r("a47f000001").readBytes());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, r("c4047f000001").readBytes());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, r("c500047f000001").readBytes());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, r("c6000000047f000001").readBytes());
        assertArrayEquals(new byte[0], r("a0").readBytes());
        assertNull(r("c0").readBytes());
        assertThrows(MsgpackException.class, () -> r("05").readBytes());
        assertThrows(MsgpackException.class, () -> r("90").readString());
    }

    @Test
    void structFieldsInAnyOrderWithUnknownKeysSkipped() throws Exception {
        // {"Zzz": [1, {"x": nil}], "SeqNo": 9, "Node": "a", "Extra": d4 ext}
        MsgpackWriter w = MsgpackWriter.gossip().mapHeader(4)
                .string("Zzz").arrayHeader(2).uint(1).mapHeader(1).string("x").nil()
                .string("SeqNo").uint(9)
                .string("Node").string("a")
                .string("Extra").raw(new byte[] {(byte) 0xd4, 1, 2});
        List<String> seen = new ArrayList<>();
        long[] seq = {0};
        MsgpackReader rd = new MsgpackReader(w.toByteArray());
        rd.readStruct((key, in) -> {
            seen.add(key);
            if (key.equals("SeqNo")) {
                seq[0] = in.readUint32();
                return true;
            }
            return false;
        });
        assertEquals(List.of("Zzz", "SeqNo", "Node", "Extra"), seen);
        assertEquals(9, seq[0]);
        assertFalse(rd.hasRemaining());
        // nil reads as an empty struct
        r("c0").readStruct((k, in) -> {
            throw new AssertionError(k);
        });
        assertThrows(MsgpackException.class, () -> r("8101c0").readStruct((k, in) -> false));
        assertThrows(MsgpackException.class, () -> r("a0").readStruct((k, in) -> false));
    }

    @Test
    void skipAndCopyValues() throws Exception {
        String hex = "82a161dc0003c0c3cb0000000000000000a162c7020501020708";
        MsgpackReader rd = r(hex);
        byte[] v = rd.readValueBytes();
        assertEquals(hex.length() / 2 - 2, v.length);
        assertEquals(7, rd.readRawByte());
        assertArrayEquals(new byte[] {8}, rd.readRemaining());
        for (String single : List.of("d40102", "d5010203", "d60102030405", "d701" + "00".repeat(8),
                "d801" + "00".repeat(16), "c80001ff00", "c900000001ff00", "ca00000000", "c2", "e0")) {
            MsgpackReader s = r(single);
            s.skipValue();
            assertFalse(s.hasRemaining(), single);
        }
        assertThrows(MsgpackException.class, () -> r("c1").skipValue());
        assertEquals(MsgpackReader.ValueType.MAP, r("de0000").peekType());
        assertEquals(MsgpackReader.ValueType.EXTENSION, r("d4").peekType());
    }

    @Test
    void hugeDeclaredLengthsFailWithoutAllocating() {
        for (String hex : List.of("dbffffffff", "c6ffffffff", "dd7fffffff", "df7fffffff", "de0100", "dc0100",
                "c9ffffffff01", "da0005616263", "a5616263", "dfffffffff", "ddffffffff")) {
            assertThrows(MsgpackException.class, () -> r(hex).skipValue(), hex);
        }
        assertThrows(MsgpackException.class, () -> r("dbffffffff").readBytes());
        assertThrows(MsgpackException.class, () -> r("dd7fffffff").readArrayHeader());
        assertThrows(MsgpackException.class, () -> r("df7fffffff").readMapHeader());
        assertThrows(MsgpackException.class, () -> r("8f").readMapHeader());
        assertThrows(MsgpackException.class, () -> r("a1").readRaw(5));
    }

    @Test
    void deepNestingDoesNotOverflowTheStack() {
        byte[] deep = new byte[200_000];
        Arrays.fill(deep, (byte) 0x91);
        assertThrows(MsgpackException.class, () -> new MsgpackReader(deep).skipValue());
        deep[deep.length - 1] = 0x00;
        // a complete 199 999-deep nest followed by 0 is a valid value
        assertThrows(MsgpackException.class, () -> new MsgpackReader(deep, 0, deep.length - 1).skipValue());
    }

    @Test
    void truncatedInputAlwaysRaisesMsgpackException() {
        byte[] full = MsgpackWriter.gossip().mapHeader(3).string("Addr").bytes(new byte[] {1, 2, 3, 4})
                .string("Port").uint(17946).string("F").float64(2.5).toByteArray();
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(MsgpackException.class, () -> new MsgpackReader(cut).skipValue(), "length " + n);
        }
    }

    @Test
    void randomGarbageNeverThrowsAnythingElse() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] g = new byte[rnd.nextInt(40)];
            rnd.nextBytes(g);
            MsgpackReader rd = new MsgpackReader(g);
            try {
                while (rd.hasRemaining()) {
                    switch (rnd.nextInt(6)) {
                        case 0 -> rd.skipValue();
                        case 1 -> rd.readString();
                        case 2 -> rd.readLong();
                        case 3 -> rd.readStruct((k, in) -> false);
                        case 4 -> rd.readDouble();
                        default -> rd.readBytes();
                    }
                }
            } catch (MsgpackException expected) {
                // fine
            }
        }
    }

    /** Struct keys come from a shared cache: every key must still read back exactly, whatever collides. */
    @Test
    void structKeysReadBackExactlyThroughTheKeyCache() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            keys.add("K" + i);
        }
        keys.add("Nöde");                                  // not ASCII: never cached
        keys.add("a-key-longer-than-thirty-two-bytes-x"); // too long: never cached
        keys.add("");
        keys.add("Node");
        keys.add("Nodf");                                   // same length, one byte apart
        for (int round = 0; round < 2; round++) {
            for (String k : keys) {
                MsgpackWriter w = MsgpackWriter.gossip().mapHeader(1).string(k).uint(7);
                List<String> seen = new ArrayList<>();
                new MsgpackReader(w.toByteArray()).readStruct((key, in) -> {
                    seen.add(key);
                    return false;
                });
                assertEquals(List.of(k), seen);
            }
        }
        // a bin key and a str8 key with the same bytes read the same
        List<String> seen = new ArrayList<>();
        MsgpackReader.FieldHandler h = (key, in) -> {
            seen.add(key);
            return false;
        };
        r("81c4044e6f6465c0").readStruct(h);
        r("81d9044e6f6465c0").readStruct(h);
        assertEquals(List.of("Node", "Node"), seen);
        // strings still decode invalid UTF-8 as replacement characters, in place
        assertEquals("a\uFFFDb", r("a361ff62").readString());
        assertNull(r("c0").readStringOrNull());
        assertEquals("", r("c0").readString());
        assertThrows(MsgpackException.class, () -> r("a5616263").readString());
    }
}
