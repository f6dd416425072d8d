package dev.rumor.transport;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly one memberlist stream message from a socket and returns its bytes unchanged (still
 * encrypted/compressed). memberlist streams have no length prefix except for encrypted messages, so
 * finding the end of a plaintext message means walking its msgpack values; the codec knows how, the
 * transport does not.
 */
@FunctionalInterface
public interface FrameReader {
    /**
     * @return the message bytes, or null if the peer closed the stream before sending anything
     * @throws IOException on a read error, a truncated message or one above the size limit
     */
    byte[] readFrame(InputStream in) throws IOException;
}
