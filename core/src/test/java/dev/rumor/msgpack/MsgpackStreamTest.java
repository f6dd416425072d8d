package dev.rumor.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MsgpackStreamTest {

    @Test
    void copiesExactlyOneValueAndRawBytes() throws IOException {
        MsgpackWriter w = MsgpackWriter.gossip().mapHeader(2).string("Events").arrayHeader(3).nil().uint(70000)
                .float64(1).string("B").bytes(new byte[300]);
        byte[] good = w.toByteArray();
        byte[] stream = concat(good, new byte[] {1, 2, 3, 4});
        MsgpackStream s = new MsgpackStream(new ByteArrayInputStream(stream), 10_000);
        assertEquals(0, s.copyValue());
        assertArrayEquals(good, s.bytes());
        s.copyRaw(3);
        assertEquals(good.length + 3, s.size());
        // 512-element array with only 511 nils present: truncated
        byte[] nils = new byte[511];
        Arrays.fill(nils, (byte) 0xc0);
        byte[] whole = concat(MsgpackWriter.gossip().arrayHeader(512).toByteArray(), nils);
        MsgpackStream t = new MsgpackStream(new ByteArrayInputStream(whole), 10_000);
        assertThrows(EOFException.class, t::copyValue);
    }

    @Test
    void eofAndLimits() throws IOException {
        MsgpackStream empty = new MsgpackStream(new ByteArrayInputStream(new byte[0]), 10);
        assertEquals(-1, empty.copyByteOrEof());
        assertThrows(IOException.class, () -> new MsgpackStream(stream("dbffffffff"), 1 << 20).copyValue());
        assertThrows(IOException.class, () -> new MsgpackStream(stream("ddffffffff"), 1 << 20).copyValue());
        assertThrows(IOException.class, () -> new MsgpackStream(stream("c1"), 100).copyValue());
        assertThrows(EOFException.class, () -> new MsgpackStream(stream("a5616263"), 100).copyValue());
        assertThrows(IOException.class, () -> new MsgpackStream(stream("a5616263"), 2).copyValue());
    }

    @Test
    void readValueSplitsConsecutiveValues() throws IOException {
        byte[] two = MsgpackWriter.ipc().mapHeader(2).string("Command").string("handshake").string("Seq").uint(0)
                .mapHeader(1).string("Version").uint(1).toByteArray();
        ByteArrayInputStream in = new ByteArrayInputStream(two);
        byte[] first = MsgpackStream.readValue(in, 1000);
        byte[] second = MsgpackStream.readValue(in, 1000);
        assertEquals(two.length, first.length + second.length);
        assertEquals(0x82, first[0] & 0xff);
        assertEquals(0x81, second[0] & 0xff);
        assertEquals(null, MsgpackStream.readValue(in, 1000));
        assertThrows(EOFException.class, () -> MsgpackStream.readValue(stream("82a1"), 1000));
        assertEquals(1, MsgpackStream.readValue(stream("07"), 1).length);
        assertThrows(IOException.class, () -> MsgpackStream.readValue(stream("a3616263"), 3));
    }

    private static ByteArrayInputStream stream(String hex) {
        return new ByteArrayInputStream(java.util.HexFormat.of().parseHex(hex));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
