package dev.rumor.membership;

import dev.rumor.membership.wire.Message;
import dev.rumor.transport.FrameReader;
import java.util.List;
import java.util.function.Consumer;

/**
 * The encoding seam between the membership protocol and the wire codec (compound framing, CRC,
 * compression, encryption). Production uses {@link CodecWireFormat}; the protocol never sees bytes
 * other than through this.
 *
 * <p>Thread contract: implementations are stateless or thread-safe.
 */
interface WireFormat {
    /** One message: type byte + body. */
    byte[] encode(Message m);

    /** A datagram carrying one or more encoded messages (a compound if more than one). */
    byte[] encodePacket(List<byte[]> encodedMessages, boolean crc);

    /**
     * All messages of a datagram, compounds flattened in order. A malformed part is reported to
     * {@code partError} and skipped; a malformed datagram throws.
     */
    List<Message> decodePacket(byte[] datagram, Consumer<Exception> partError) throws Exception;

    byte[] encodeStream(Message m);

    Message decodeStream(byte[] stream) throws Exception;

    FrameReader frameReader();
}
