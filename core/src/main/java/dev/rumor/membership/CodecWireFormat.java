package dev.rumor.membership;

import dev.rumor.membership.wire.Codec;
import dev.rumor.membership.wire.CodecException;
import dev.rumor.membership.wire.Compound;
import dev.rumor.membership.wire.Compression;
import dev.rumor.membership.wire.Crc;
import dev.rumor.membership.wire.Message;
import dev.rumor.membership.wire.MessageType;
import dev.rumor.transport.FrameReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link WireFormat} on top of the wire codec: compound framing, CRC, LZW compression (packets only
 * when smaller, streams always), nested layers accepted on receive in any order.
 *
 * <p>Interim: built from the codec's primitives until the codec's {@code PacketCodec} (which adds
 * encryption and the stream frame reader) is available; then this delegates to it.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
final class CodecWireFormat implements WireFormat {
    private static final int MAX_DECOMPRESSED = 10 * 1024 * 1024;
    private static final int MAX_DEPTH = 8;

    private final boolean compress;

    CodecWireFormat(boolean compress) {
        this.compress = compress;
    }

    static WireFormat of(MembershipConfig config) {
        return new CodecWireFormat(config.compression());
    }

    @Override
    public byte[] encode(Message m) {
        return Codec.encode(m);
    }

    @Override
    public byte[] encodePacket(List<byte[]> encodedMessages, boolean crc) {
        byte[] msg = encodedMessages.size() == 1 ? encodedMessages.get(0) : Compound.encode(encodedMessages);
        if (compress) {
            byte[] c = Compression.wrap(msg);
            if (c.length < msg.length) {
                msg = c;
            }
        }
        return crc ? Crc.wrap(msg) : msg;
    }

    @Override
    public List<Message> decodePacket(byte[] datagram, Consumer<Exception> partError) throws Exception {
        List<Message> out = new ArrayList<>();
        byte[] buf = datagram;
        if (buf.length >= Crc.OVERHEAD && (buf[0] & 0xff) == MessageType.HAS_CRC.code()) {
            buf = Crc.unwrap(buf);
        }
        decodeInto(buf, out, partError, 0, true);
        return out;
    }

    private void decodeInto(byte[] buf, List<Message> out, Consumer<Exception> partError, int depth, boolean top)
            throws CodecException {
        if (depth > MAX_DEPTH) {
            throw new CodecException("nesting too deep");
        }
        if (buf.length < 1) {
            throw new CodecException("empty message");
        }
        int type = buf[0] & 0xff;
        if (type == MessageType.COMPOUND.code()) {
            Compound.Split split = Compound.decode(buf, 1, buf.length - 1);
            if (split.truncated() > 0) {
                partError.accept(new CodecException(split.truncated() + " truncated compound parts"));
            }
            for (byte[] part : split.parts()) {
                try {
                    decodeInto(part, out, partError, depth + 1, false);
                } catch (CodecException e) {
                    partError.accept(e);
                }
            }
        } else if (type == MessageType.COMPRESS.code()) {
            decodeInto(Compression.unwrap(buf, 1, buf.length - 1, MAX_DECOMPRESSED), out, partError, depth + 1, top);
        } else {
            out.add(Codec.decode(buf));
        }
    }

    @Override
    public byte[] encodeStream(Message m) {
        byte[] body = Codec.encodeStreamBody(m);
        return compress ? Compression.wrap(body) : body;
    }

    @Override
    public Message decodeStream(byte[] stream) throws Exception {
        if (stream.length < 1) {
            throw new CodecException("empty stream");
        }
        byte[] buf = stream;
        if ((buf[0] & 0xff) == MessageType.COMPRESS.code()) {
            buf = Compression.unwrap(buf, 1, buf.length - 1, MAX_DECOMPRESSED);
        }
        if ((buf[0] & 0xff) == MessageType.ENCRYPT.code()) {
            throw new CodecException("Remote state is encrypted and encryption is not configured");
        }
        return Codec.decodeStreamBody(buf);
    }

    @Override
    public FrameReader frameReader() {
        return in -> {
            throw new java.io.IOException("stream framing needs the codec's PacketCodec");
        };
    }
}
