package dev.rumor.coordinate;

import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;
import dev.rumor.msgpack.StructWriter;

/**
 * The ack payload serf attaches to every direct probe answer (serf {@code ping_delegate.go}):
 * version byte {@code 1}, then the {@link Coordinate} as a gossip-dialect msgpack map
 * {@code {"Adjustment": f64, "Error": f64, "Height": f64, "Vec": [f64...]}}.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class PingPayload {
    /** serf's {@code PingVersion}. */
    public static final int VERSION = 1;

    private PingPayload() {
    }

    public static byte[] encode(Coordinate c) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.rawByte(VERSION);
        StructWriter s = w.struct();
        s.field("Adjustment").float64(c.adjustment());
        s.field("Error").float64(c.error());
        s.field("Height").float64(c.height());
        MsgpackWriter vec = s.field("Vec");
        double[] v = c.vec();
        vec.arrayHeader(v.length);
        for (double d : v) {
            vec.float64(d);
        }
        s.end();
        return w.toByteArray();
    }

    /**
     * @return the coordinate, or null when the payload is null or empty (peers without coordinates)
     * @throws MsgpackException for an unsupported version byte or a malformed body
     */
    public static Coordinate decode(byte[] payload) throws MsgpackException {
        if (payload == null || payload.length == 0) {
            return null;
        }
        if ((payload[0] & 0xff) != VERSION) {
            throw new MsgpackException("Unsupported ping version: " + (payload[0] & 0xff));
        }
        MsgpackReader r = new MsgpackReader(payload, 1, payload.length - 1);
        var c = new Object() {
            double adjustment;
            double error;
            double height;
            double[] vec = new double[0];
        };
        r.readStruct((k, v) -> {
            switch (k) {
                case "Adjustment" -> c.adjustment = v.readDouble();
                case "Error" -> c.error = v.readDouble();
                case "Height" -> c.height = v.readDouble();
                case "Vec" -> {
                    int n = v.readArrayHeaderOrNil();
                    c.vec = new double[Math.max(n, 0)];
                    for (int i = 0; i < n; i++) {
                        c.vec[i] = v.readDouble();
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new Coordinate(c.vec, c.error, c.adjustment, c.height);
    }
}
