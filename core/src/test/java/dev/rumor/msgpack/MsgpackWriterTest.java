package dev.rumor.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

class MsgpackWriterTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String hex(MsgpackWriter w) {
        return HEX.formatHex(w.toByteArray());
    }

    @Test
    void unsignedIntegersUseSmallestEncoding() {
        assertEquals("00", hex(MsgpackWriter.gossip().uint(0)));
        assertEquals("7f", hex(MsgpackWriter.gossip().uint(127)));
        assertEquals("cc80", hex(MsgpackWriter.gossip().uint(128)));
        assertEquals("ccff", hex(MsgpackWriter.gossip().uint(255)));
        assertEquals("cd0100", hex(MsgpackWriter.gossip().uint(256)));
        assertEquals("cd461b", hex(MsgpackWriter.gossip().uint(17947)));
        assertEquals("cdffff", hex(MsgpackWriter.gossip().uint(65535)));
        assertEquals("ce00010000", hex(MsgpackWriter.gossip().uint(65536)));
        assertEquals("cebebc2000", hex(MsgpackWriter.gossip().integer(3_200_000_000L)));
        assertEquals("ceffffffff", hex(MsgpackWriter.gossip().uint(0xffffffffL)));
        assertEquals("cf0000000100000000", hex(MsgpackWriter.gossip().uint(0x100000000L)));
        assertEquals("cfffffffffffffffff", hex(MsgpackWriter.gossip().uint(-1L)));
    }

    @Test
    void negativeIntegersUseSmallestEncoding() {
        assertEquals("ff", hex(MsgpackWriter.gossip().integer(-1)));
        assertEquals("e0", hex(MsgpackWriter.gossip().integer(-32)));
        assertEquals("d0df", hex(MsgpackWriter.gossip().integer(-33)));
        assertEquals("d080", hex(MsgpackWriter.gossip().integer(-128)));
        assertEquals("d1ff7f", hex(MsgpackWriter.gossip().integer(-129)));
        assertEquals("d18000", hex(MsgpackWriter.gossip().integer(-32768)));
        assertEquals("d2ffff7fff", hex(MsgpackWriter.gossip().integer(-32769)));
        assertEquals("d280000000", hex(MsgpackWriter.gossip().integer(Integer.MIN_VALUE)));
        assertEquals("d3ffffffff7fffffff", hex(MsgpackWriter.gossip().integer(Integer.MIN_VALUE - 1L)));
        assertEquals("d38000000000000000", hex(MsgpackWriter.gossip().integer(Long.MIN_VALUE)));
    }

    @Test
    void scalars() {
        assertEquals("c0c2c3", hex(MsgpackWriter.gossip().nil().bool(false).bool(true)));
        assertEquals("cb3ff8000000000000", hex(MsgpackWriter.gossip().float64(1.5)));
        assertEquals("cb3ee4f8b588e368f1", hex(MsgpackWriter.gossip().float64(1.0e-5)));
        assertEquals("ca3fc00000", hex(MsgpackWriter.gossip().float32(1.5f)));
    }

    @Test
    void gossipStringsAndBytesAreRawNeverStr8OrBin() {
        for (Dialect d : Dialect.values()) {
            assertEquals("a0", hex(new MsgpackWriter(d).string("")));
            assertEquals("a5616c706861", hex(new MsgpackWriter(d).string("alpha")));
            assertEquals("c0", hex(new MsgpackWriter(d).string(null)));
            assertEquals("c0", hex(new MsgpackWriter(d).bytes(null)));
        }
        byte[] b31 = new byte[31];
        byte[] b32 = new byte[32];
        byte[] b255 = new byte[255];
        byte[] b256 = new byte[256];
        byte[] b65535 = new byte[65535];
        byte[] b65536 = new byte[65536];
        assertEquals("bf", prefix(MsgpackWriter.gossip().bytes(b31), 1));
        assertEquals("da0020", prefix(MsgpackWriter.gossip().bytes(b32), 3));
        assertEquals("da00ff", prefix(MsgpackWriter.gossip().stringBytes(b255), 3));
        assertEquals("da0100", prefix(MsgpackWriter.gossip().bytes(b256), 3));
        assertEquals("daffff", prefix(MsgpackWriter.gossip().bytes(b65535), 3));
        assertEquals("db00010000", prefix(MsgpackWriter.gossip().bytes(b65536), 5));
        assertEquals("a4", prefix(MsgpackWriter.gossip().bytes(new byte[] {127, 0, 0, 1}), 1));
        assertEquals(65536 + 5, MsgpackWriter.gossip().bytes(b65536).size());
    }

    @Test
    void ipcStringsUseStr8AndBytesUseBin() {
        assertEquals("bf", prefix(MsgpackWriter.ipc().stringBytes(new byte[31]), 1));
        assertEquals("d920", prefix(MsgpackWriter.ipc().stringBytes(new byte[32]), 2));
        assertEquals("d9ff", prefix(MsgpackWriter.ipc().string("x".repeat(255)), 2));
        assertEquals("da0100", prefix(MsgpackWriter.ipc().string("x".repeat(256)), 3));
        assertEquals("db00010000", prefix(MsgpackWriter.ipc().stringBytes(new byte[65536]), 5));
        assertEquals("c400", hex(MsgpackWriter.ipc().bytes(new byte[0])));
        assertEquals("c4047f000001", hex(MsgpackWriter.ipc().bytes(new byte[] {127, 0, 0, 1})));
        assertEquals("c4ff", prefix(MsgpackWriter.ipc().bytes(new byte[255]), 2));
        assertEquals("c50100", prefix(MsgpackWriter.ipc().bytes(new byte[256]), 3));
        assertEquals("c600010000", prefix(MsgpackWriter.ipc().bytes(new byte[65536]), 5));
    }

    @Test
    void containerHeaders() {
        assertEquals("80", hex(MsgpackWriter.gossip().mapHeader(0)));
        assertEquals("8f", hex(MsgpackWriter.gossip().mapHeader(15)));
        assertEquals("de0010", hex(MsgpackWriter.gossip().mapHeader(16)));
        assertEquals("deffff", hex(MsgpackWriter.gossip().mapHeader(65535)));
        assertEquals("df00010000", hex(MsgpackWriter.gossip().mapHeader(65536)));
        assertEquals("90", hex(MsgpackWriter.gossip().arrayHeader(0)));
        assertEquals("9f", hex(MsgpackWriter.gossip().arrayHeader(15)));
        assertEquals("dc0200", hex(MsgpackWriter.gossip().arrayHeader(512)));
        assertEquals("dd00010000", hex(MsgpackWriter.gossip().arrayHeader(65536)));
        assertThrows(IllegalArgumentException.class, () -> MsgpackWriter.gossip().arrayHeader(-1));
    }

    @Test
    void structSortsKeysBytewiseLikeTheRealPing() {
        // wire-protocol.md §2.7: ping from beta to alpha, body after the type byte
        MsgpackWriter w = MsgpackWriter.gossip();
        StructWriter s = w.struct();
        s.field("SourcePort").uint(17947);
        s.field("SourceNode").string("beta");
        s.field("SourceAddr").bytes(new byte[] {127, 0, 0, 1});
        s.field("SeqNo").uint(1);
        s.field("Node").string("alpha");
        s.end();
        assertEquals("85a44e6f6465a5616c706861a55365714e6f01aa536f7572636541646472a47f000001"
                + "aa536f757263654e6f6465a462657461aa536f75726365506f7274cd461b", hex(w));
    }

    @Test
    void structRejectsMisuse() {
        StructWriter s = MsgpackWriter.gossip().struct();
        s.field("A").uint(1);
        assertThrows(IllegalArgumentException.class, () -> s.field("A"));
        s.field("B");
        assertThrows(IllegalStateException.class, s::end);
        StructWriter.requireSorted("Addr", "DelegateCur", "Node", "a");
        assertThrows(IllegalArgumentException.class, () -> StructWriter.requireSorted("b", "a"));
        assertThrows(IllegalArgumentException.class, () -> StructWriter.requireSorted("a", "a"));
    }

    @Test
    void rawAppendsVerbatim() {
        MsgpackWriter w = MsgpackWriter.gossip().rawByte(0x08).raw(new byte[] {1, 2, 3}).raw(new byte[] {9, 4, 5}, 1, 2);
        assertEquals("0801020304" + "05", hex(w));
        assertEquals(0, w.reset().size());
    }

    /** msgpack-core as an independent oracle: our output parses to the same values. */
    @Test
    void randomOutputParsesWithMsgpackCore() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 500; round++) {
            long v = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(300) - 150;
                case 1 -> rnd.nextInt();
                case 2 -> rnd.nextLong();
                default -> rnd.nextInt(70000);
            };
            byte[] bytes = new byte[rnd.nextInt(rnd.nextBoolean() ? 40 : 70000)];
            rnd.nextBytes(bytes);
            String str = "s".repeat(rnd.nextInt(300));
            double d = rnd.nextGaussian();
            for (Dialect dialect : Dialect.values()) {
                MsgpackWriter w = new MsgpackWriter(dialect).arrayHeader(5).integer(v).bytes(bytes).string(str)
                        .float64(d).mapHeader(1).string("k").bool(true);
                try (MessageUnpacker u = MessagePack.newDefaultUnpacker(w.toByteArray())) {
                    assertEquals(5, u.unpackArrayHeader());
                    assertEquals(v, u.unpackLong());
                    ValueType bt = u.getNextFormat().getValueType();
                    assertEquals(dialect == Dialect.GOSSIP ? ValueType.STRING : ValueType.BINARY, bt);
                    int n = bt == ValueType.STRING ? u.unpackRawStringHeader() : u.unpackBinaryHeader();
                    assertArrayEquals(bytes, u.readPayload(n));
                    assertEquals(str, u.unpackString());
                    assertEquals(d, u.unpackDouble());
                    assertEquals(1, u.unpackMapHeader());
                    assertEquals("k", u.unpackString());
                    assertEquals(true, u.unpackBoolean());
                    assertEquals(false, u.hasNext());
                }
            }
        }
    }

    private static String prefix(MsgpackWriter w, int n) {
        return HEX.formatHex(Arrays.copyOf(w.toByteArray(), n));
    }
}
