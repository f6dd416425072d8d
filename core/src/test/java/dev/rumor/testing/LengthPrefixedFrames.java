package dev.rumor.testing;

import dev.rumor.transport.FrameReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A trivial stream framing for transport tests that must not depend on the memberlist codec: a 4-byte
 * big-endian length followed by that many bytes. The reader returns the whole frame (prefix included),
 * unchanged, as the {@link FrameReader} contract asks.
 */
public final class LengthPrefixedFrames implements FrameReader {
    private final int maxPayload;

    public LengthPrefixedFrames(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    public LengthPrefixedFrames() {
        this(1 << 20);
    }

    public static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    public static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, 4, frame.length);
    }

    @Override
    public byte[] readFrame(InputStream in) throws IOException {
        byte[] header = new byte[4];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        readFully(in, header, 1, 3);
        int len = ByteBuffer.wrap(header).getInt();
        if (len < 0 || len > maxPayload) {
            throw new IOException("frame length " + len + " outside [0, " + maxPayload + "]");
        }
        byte[] out = Arrays.copyOf(header, 4 + len);
        readFully(in, out, 4, len);
        return out;
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new EOFException("truncated frame");
        }
    }
}
