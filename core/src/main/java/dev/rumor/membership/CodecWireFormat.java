package dev.rumor.membership;

import dev.rumor.membership.wire.Codec;
import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.PacketCodec;
import dev.rumor.transport.FrameReader;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link WireFormat} backed by the wire codec ({@link Codec} for single messages, {@link PacketCodec}
 * for compound framing, CRC, compression and encryption).
 *
 * <p>Thread contract: thread-safe (the codec is; the keyring synchronises key changes).
 */
final class CodecWireFormat implements WireFormat {
    private final PacketCodec codec;

    CodecWireFormat(PacketCodec codec) {
        this.codec = codec;
    }

    static CodecWireFormat of(MembershipConfig config) {
        return new CodecWireFormat(new PacketCodec(config.keyring(), config.compression()));
    }

    int encryptionOverhead() {
        return codec.encryptionOverhead();
    }

    @Override
    public byte[] encode(Message m) {
        return Codec.encode(m);
    }

    @Override
    public byte[] encodePacket(List<byte[]> encodedMessages, boolean crc) {
        return codec.encodePacket(encodedMessages, crc);
    }

    @Override
    public List<Message> decodePacket(byte[] datagram, Consumer<Exception> partError) throws Exception {
        return codec.decodePacket(datagram, partError::accept);
    }

    @Override
    public byte[] encodeStream(Message m) {
        return codec.encodeStream(m);
    }

    @Override
    public Message decodeStream(byte[] stream) throws Exception {
        return codec.decodeStream(stream);
    }

    @Override
    public FrameReader frameReader() {
        return codec.frameReader();
    }
}
