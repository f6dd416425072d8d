package dev.rumor.membership.wire;

import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;

/**
 * memberlist compress message (type 9, wire-protocol.md §2.6): {@code 09 + msgpack {Algo: 0, Buf: LZW bytes}}.
 * Stateless and thread-safe.
 */
public final class Compression {

    /** The only algorithm memberlist defines. */
    public static final int LZW = 0;

    private Compression() {
    }

    /** {@code 09 | {"Algo":0,"Buf":lzw(message)}}, byte-identical to memberlist's compressPayload. */
    public static byte[] wrap(byte[] message) {
        return MsgpackWriter.gossip().rawByte(MessageType.COMPRESS.code())
                .mapHeader(2).string("Algo").uint(LZW).string("Buf").bytes(Lzw.compress(message))
                .toByteArray();
    }

    /**
     * @param body      the bytes after the {@code 09} type byte
     * @param maxOutput bound on the decompressed size
     * @return the decompressed inner message (starting with its own type byte)
     */
    public static byte[] unwrap(byte[] body, int offset, int length, int maxOutput) throws CodecException {
        long[] algo = {0};
        byte[][] buf = {null};
        try {
            new MsgpackReader(body, offset, length).readStruct((key, in) -> {
                switch (key) {
                    case "Algo" -> algo[0] = in.readUint8();
                    case "Buf" -> buf[0] = in.readBytes();
                    default -> {
                        return false;
                    }
                }
                return true;
            });
        } catch (MsgpackException e) {
            throw new CodecException("malformed compress message: " + e.getMessage(), e);
        }
        if (algo[0] != LZW) {
            throw new CodecException("Cannot decompress unknown algorithm " + algo[0]);
        }
        byte[] lzw = buf[0] == null ? new byte[0] : buf[0];
        byte[] plain = Lzw.decompress(lzw, maxOutput);
        if (plain.length == 0) {
            throw new CodecException("compressed message is empty");
        }
        return plain;
    }
}
