/**
 * Serf's messages as they travel inside memberlist user messages and push/pull user state
 * (serf {@code messages.go}, wire-protocol.md §7.1): a type byte ({@link dev.rumor.cluster.wire.SerfMessageType},
 * append-only) followed by a go-msgpack map in the gossip dialect with sorted keys.
 * {@link dev.rumor.cluster.wire.SerfCodec} is byte-identical to the Go encoder for every message type and
 * accepts whatever the Go decoder accepts.
 */
package dev.rumor.cluster.wire;
