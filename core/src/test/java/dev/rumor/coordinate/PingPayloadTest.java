package dev.rumor.coordinate;

import static dev.rumor.cluster.wire.Hex.bytes;
import static dev.rumor.cluster.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rumor.msgpack.MsgpackException;
import org.junit.jupiter.api.Test;

class PingPayloadTest {
    /** §2.7: the 130-byte payload of a real ack from a fresh serf agent. */
    static final String REAL = "01 84 aa 41646a7573746d656e74 cb 0000000000000000"
            + " a5 4572726f72 cb 3ff8000000000000"
            + " a6 486569676874 cb 3ee4f8b588e368f1"
            + " a3 566563 98" + " cb 0000000000000000".repeat(8);

    @Test
    void initialCoordinateEncodesLikeTheRealAgent() throws MsgpackException {
        byte[] real = bytes(REAL);
        assertEquals(130, real.length);
        assertEquals(hex(real), hex(PingPayload.encode(Coordinate.initial(CoordinateConfig.defaults()))));
        assertEquals(Coordinate.initial(CoordinateConfig.defaults()), PingPayload.decode(real));
    }

    @Test
    void roundTripsArbitraryValues() throws MsgpackException {
        Coordinate c = new Coordinate(new double[] {0.001, -0.002, 3e-4}, 0.7, -1e-4, 2e-5);
        assertEquals(c, PingPayload.decode(PingPayload.encode(c)));
    }

    @Test
    void emptyIsIgnoredOtherVersionsAndGarbageAreErrors() {
        assertNull(assertDoesNotThrow(null));
        assertNull(assertDoesNotThrow(new byte[0]));
        MsgpackException e = assertThrows(MsgpackException.class, () -> PingPayload.decode(new byte[] {2, (byte) 0x80}));
        assertEquals("Unsupported ping version: 2", e.getMessage());
        assertThrows(MsgpackException.class, () -> PingPayload.decode(bytes("01 81 a3\"Vec\" 92 cb 00")));
    }

    private static Coordinate assertDoesNotThrow(byte[] b) {
        try {
            return PingPayload.decode(b);
        } catch (MsgpackException e) {
            throw new AssertionError(e);
        }
    }
}
