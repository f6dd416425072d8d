package dev.rumor.membership.wire;

import java.util.List;

/**
 * One memberlist message body (the part after the type byte). Framing layers (compound, compress,
 * CRC, encryption) are not messages; the codec adds and removes them.
 *
 * <p>Unsigned 32-bit wire fields (sequence numbers, incarnations) are held in {@code long}s; 16-bit
 * ports in {@code int}s. Byte-string fields ({@code byte[]}) are IPs (4 or 16 bytes), node metadata, the
 * 6-byte version vector and opaque payloads; a null byte array is encoded as msgpack nil, an empty one
 * as a zero-length raw string, exactly as the Go encoder distinguishes nil and empty slices.
 * Records holding arrays compare them by identity; tests compare encoded bytes.
 */
public sealed interface Message {

    MessageType type();

    /** type 0: direct probe. Empty {@code node} means "whoever you are" (older senders). */
    record Ping(long seqNo, String node, byte[] sourceAddr, int sourcePort, String sourceNode) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PING;
        }
    }

    /** type 1: ask a helper to probe {@code node} at {@code target:port} and relay the ack (or a nack). */
    record IndirectPing(long seqNo, byte[] target, int port, String node, boolean nack,
                        byte[] sourceAddr, int sourcePort, String sourceNode) implements Message {
        @Override
        public MessageType type() {
            return MessageType.INDIRECT_PING;
        }
    }

    /** type 2: probe answer; {@code payload} is the ping delegate's (serf: Vivaldi coordinate), may be null. */
    record Ack(long seqNo, byte[] payload) implements Message {
        @Override
        public MessageType type() {
            return MessageType.ACK;
        }
    }

    /** type 11: Lifeguard negative ack from an indirect-probe helper that got no answer in time. */
    record Nack(long seqNo) implements Message {
        @Override
        public MessageType type() {
            return MessageType.NACK;
        }
    }

    /** type 3 */
    record Suspect(long incarnation, String node, String from) implements Message {
        @Override
        public MessageType type() {
            return MessageType.SUSPECT;
        }
    }

    /** type 4. {@code vsn} = [pmin, pmax, pcur, dmin, dmax, dcur]. */
    record Alive(long incarnation, String node, byte[] addr, int port, byte[] meta, byte[] vsn) implements Message {
        @Override
        public MessageType type() {
            return MessageType.ALIVE;
        }
    }

    /** type 5. {@code from.equals(node)} means a voluntary leave. */
    record Dead(long incarnation, String node, String from) implements Message {
        @Override
        public MessageType type() {
            return MessageType.DEAD;
        }
    }

    /** type 6 (streams only): full state exchange, also used to join. {@code userState} may be empty, never null. */
    record PushPull(boolean join, List<PushNodeState> nodes, byte[] userState) implements Message {
        @Override
        public MessageType type() {
            return MessageType.PUSH_PULL;
        }
    }

    /** One node in a push/pull. {@code state}: 0 alive, 1 suspect, 2 dead, 3 left. */
    record PushNodeState(String name, byte[] addr, int port, byte[] meta, long incarnation, int state, byte[] vsn) {
    }

    /** type 8: opaque delegate bytes (the serf layer's messages). */
    record User(byte[] payload) implements Message {
        @Override
        public MessageType type() {
            return MessageType.USER;
        }
    }

    /** type 13 (streams only): the peer failed to handle our stream. */
    record Err(String error) implements Message {
        @Override
        public MessageType type() {
            return MessageType.ERR;
        }
    }
}
