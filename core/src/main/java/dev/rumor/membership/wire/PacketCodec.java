package dev.rumor.membership.wire;

import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackStream;
import dev.rumor.security.Keyring;
import dev.rumor.security.PacketCipher;
import dev.rumor.transport.FrameReader;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Adds and removes memberlist's framing layers around encoded messages, for packets (wire-protocol.md §2.2)
 * and streams (§3.1), with this node's settings: an optional {@link Keyring} (encryption on when set) and
 * whether to compress.
 *
 * <p>Receiving is settings-independent where memberlist's is: compressed or plain, with or without CRC,
 * compound and compress nested in any order are all accepted. Encryption is not optional once a keyring
 * is set: plaintext input is rejected, as serf (which always verifies incoming traffic) does.
 *
 * <p>Every decompression is bounded ({@link #MAX_PACKET_EXPANSION} per packet, {@link #MAX_STREAM_EXPANSION}
 * per stream message) and nesting is limited to {@link #MAX_DEPTH}, so a small hostile packet cannot make
 * us allocate without bound. Nothing is counted here; callers count the exceptions.
 *
 * <p>Thread-safe (the keyring is read afresh for every message, so key rotation applies immediately).
 */
public final class PacketCodec {

    /** memberlist's {@code maxPushStateBytes}: the largest encrypted stream message accepted. */
    public static final int MAX_STREAM_BYTES = 20 * 1024 * 1024;
    /** Total bytes all decompressions of one packet may produce. */
    public static final int MAX_PACKET_EXPANSION = 4 * 1024 * 1024;
    /** Bytes one decompressed stream message may have. */
    public static final int MAX_STREAM_EXPANSION = 64 * 1024 * 1024;
    /** How deeply compound/compress layers may nest in one packet. */
    public static final int MAX_DEPTH = 8;
    /** Packet encryption version we send (memberlist protocol ≥ 2). */
    private static final int ENCRYPTION_VERSION = PacketCipher.CURRENT_VERSION;

    private final Keyring keyring;
    private final boolean compress;

    /**
     * @param keyring  null for a plaintext cluster
     * @param compress whether to compress what we send (serf's default is true)
     */
    public PacketCodec(Keyring keyring, boolean compress) {
        this.keyring = keyring;
        this.compress = compress;
    }

    public Keyring keyring() {
        return keyring;
    }

    public boolean compress() {
        return compress;
    }

    /** Bytes encryption adds to a packet (0 without a keyring), for packet budgeting. */
    public int encryptionOverhead() {
        return keyring == null ? 0 : PacketCipher.overhead(ENCRYPTION_VERSION);
    }

    // ---------------------------------------------------------------------------------------------- packets

    /**
     * Frames encoded messages as one datagram: a compound if there is more than one, LZW-compressed if that
     * is smaller, CRC-wrapped if {@code crc} (destination speaks protocol ≥ 5), encrypted with the primary key
     * if a keyring is set.
     *
     * @param encodedMessages 1..{@link Compound#MAX_PARTS} messages from {@link Codec#encode}
     */
    public byte[] encodePacket(List<byte[]> encodedMessages, boolean crc) {
        if (encodedMessages.isEmpty()) {
            throw new IllegalArgumentException("no messages");
        }
        byte[] buf = encodedMessages.size() == 1 ? encodedMessages.get(0) : Compound.encode(encodedMessages);
        if (compress) {
            byte[] c = Compression.wrap(buf);
            if (c.length < buf.length) {
                buf = c;
            }
        }
        if (crc) {
            buf = Crc.wrap(buf);
        }
        if (keyring != null) {
            buf = PacketCipher.encrypt(ENCRYPTION_VERSION, keyring.primaryKey(), buf, null);
        }
        return buf;
    }

    /**
     * Unframes a datagram and decodes its messages in wire order.
     *
     * @param partError receives the failure of one part of a compound (the other parts are still returned),
     *                  including a report of truncated parts
     * @throws CodecException when the packet as a whole is unusable (decryption, CRC, outermost framing or a
     *                        single bare message)
     */
    public List<Message> decodePacket(byte[] datagram, Consumer<CodecException> partError) throws CodecException {
        byte[] buf = datagram;
        if (keyring != null) {
            try {
                buf = PacketCipher.decrypt(keyring.keys(), datagram, null);
            } catch (GeneralSecurityException e) {
                throw new CodecException("Decrypt packet failed: " + e.getMessage(), e);
            }
        }
        if (buf.length >= Crc.OVERHEAD && (buf[0] & 0xff) == MessageType.HAS_CRC.code()) {
            buf = Crc.unwrap(buf);
        }
        List<Message> out = new ArrayList<>();
        int[] budget = {MAX_PACKET_EXPANSION};
        unframe(buf, 0, buf.length, 0, out, partError, budget);
        return out;
    }

    /** Unframes {@code buf[offset, offset + length)}; compound parts are decoded in place, not copied. */
    private void unframe(byte[] buf, int offset, int length, int depth, List<Message> out,
                         Consumer<CodecException> partError, int[] budget) throws CodecException {
        if (depth > MAX_DEPTH) {
            throw new CodecException("framing nested deeper than " + MAX_DEPTH);
        }
        if (length == 0) {
            throw new CodecException("empty message");
        }
        int code = buf[offset] & 0xff;
        if (code == MessageType.COMPOUND.code()) {
            int truncated = Compound.visit(buf, offset + 1, length - 1, (b, off, len) -> {
                try {
                    unframe(b, off, len, depth + 1, out, partError, budget);
                } catch (CodecException e) {
                    partError.accept(e);
                }
            });
            if (truncated > 0) {
                partError.accept(new CodecException("Compound request had " + truncated + " truncated messages"));
            }
        } else if (code == MessageType.COMPRESS.code()) {
            byte[] inner = Compression.unwrap(buf, offset + 1, length - 1, budget[0]);
            budget[0] -= inner.length;
            unframe(inner, 0, inner.length, depth + 1, out, partError, budget);
        } else if (code == MessageType.PUSH_PULL.code() || code == MessageType.ERR.code()) {
            throw new CodecException("message type " + code + " is not valid in a packet");
        } else {
            out.add(Codec.decode(buf, offset, length));
        }
    }

    // ---------------------------------------------------------------------------------------------- streams

    /**
     * Frames one stream message: compressed whenever compression is on (even if larger, as memberlist
     * does), then {@code 0a | u32 length | blob} with the 5 header bytes as GCM additional data if a keyring
     * is set.
     */
    public byte[] encodeStream(Message m) {
        byte[] buf = Codec.encodeStreamBody(m);
        if (compress) {
            buf = Compression.wrap(buf);
        }
        if (keyring != null) {
            int len = PacketCipher.encryptedLength(ENCRYPTION_VERSION, buf.length);
            byte[] header = {(byte) MessageType.ENCRYPT.code(), (byte) (len >>> 24), (byte) (len >>> 16),
                    (byte) (len >>> 8), (byte) len};
            byte[] blob = PacketCipher.encrypt(ENCRYPTION_VERSION, keyring.primaryKey(), buf, header);
            byte[] framed = Arrays.copyOf(header, header.length + blob.length);
            System.arraycopy(blob, 0, framed, header.length, blob.length);
            buf = framed;
        }
        return buf;
    }

    /** Unframes and decodes one stream message (as returned by {@link #frameReader()}). */
    public Message decodeStream(byte[] frame) throws CodecException {
        if (frame.length == 0) {
            throw new CodecException("empty stream message");
        }
        byte[] buf = frame;
        if ((frame[0] & 0xff) == MessageType.ENCRYPT.code()) {
            if (keyring == null) {
                throw new CodecException("Remote state is encrypted and encryption is not configured");
            }
            if (frame.length < 5) {
                throw new CodecException("truncated encrypted stream header");
            }
            long len = ((long) (frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8)
                    | (frame[4] & 0xff);
            if (len > MAX_STREAM_BYTES) {
                throw new CodecException("Remote node state is larger than limit (" + len + ")");
            }
            if (frame.length - 5 < len) {
                throw new CodecException("truncated encrypted stream: " + (frame.length - 5) + " of " + len + " bytes");
            }
            try {
                buf = PacketCipher.decrypt(keyring.keys(), frame, 5, (int) len, Arrays.copyOf(frame, 5));
            } catch (GeneralSecurityException e) {
                throw new CodecException(e.getMessage(), e);
            }
            if (buf.length == 0) {
                throw new CodecException("empty stream message");
            }
        } else if (keyring != null) {
            throw new CodecException("Encryption is configured but remote state is not encrypted");
        }
        if ((buf[0] & 0xff) == MessageType.COMPRESS.code()) {
            buf = Compression.unwrap(buf, 1, buf.length - 1, MAX_STREAM_EXPANSION);
        }
        return Codec.decodeStreamBody(buf);
    }

    /**
     * Finds the end of one stream message on a socket (see {@link FrameReader}): encrypted messages by their
     * length, everything else by walking the msgpack values (plus the raw user-state or user-message bytes
     * whose lengths the headers announce). At most {@link #MAX_STREAM_BYTES} are read.
     */
    public FrameReader frameReader() {
        return PacketCodec::readFrame;
    }

    /** See {@link #frameReader()}; independent of the node's settings. */
    public static byte[] readFrame(InputStream in) throws IOException {
        MsgpackStream s = new MsgpackStream(in, MAX_STREAM_BYTES + 5L);
        int type = s.copyByteOrEof();
        if (type < 0) {
            return null;
        }
        MessageType t = MessageType.of(type);
        if (t == null) {
            throw new IOException("unexpected stream message type " + type);
        }
        switch (t) {
            case ENCRYPT -> {
                long len = s.copyUnsigned(4);
                if (len > MAX_STREAM_BYTES) {
                    throw new IOException("Remote node state is larger than limit (" + len + ")");
                }
                s.copyRaw(len);
            }
            case COMPRESS, PING, ACK, ERR -> s.copyValue();
            case PUSH_PULL -> {
                long[] header = readHeader(s, "Nodes", "UserStateLen");
                for (long i = 0; i < header[0]; i++) {
                    s.copyValue();
                }
                s.copyRaw(header[1]);
            }
            case USER -> s.copyRaw(readHeader(s, "UserMsgLen")[0]);
            default -> throw new IOException("unexpected stream message type " + type);
        }
        return s.bytes();
    }

    /** Copies one header map and returns the named integer fields (0 when absent). */
    private static long[] readHeader(MsgpackStream s, String... names) throws IOException {
        int start = s.copyValue();
        byte[] all = s.bytes();
        long[] values = new long[names.length];
        try {
            new MsgpackReader(all, start, all.length - start).readStruct((key, r) -> {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(key)) {
                        values[i] = r.readLong(0, MAX_STREAM_BYTES, key);
                        return true;
                    }
                }
                return false;
            });
        } catch (MsgpackException e) {
            throw new IOException("malformed stream header: " + e.getMessage(), e);
        }
        return values;
    }
}
