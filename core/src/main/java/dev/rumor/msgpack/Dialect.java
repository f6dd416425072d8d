package dev.rumor.msgpack;

/**
 * The two go-msgpack 0.5.5 handle configurations serf uses; they differ only in how strings and byte
 * slices are written (wire-protocol.md §1).
 */
public enum Dialect {
    /**
     * memberlist and serf gossip ({@code MsgpackHandle{}}): the old msgpack spec. Strings and byte arrays
     * are both "raw" (fixstr, {@code 0xda}+u16, {@code 0xdb}+u32); str8 ({@code 0xd9}) and bin are never written.
     */
    GOSSIP,
    /**
     * agent RPC ({@code MsgpackHandle{RawToString: true, WriteExt: true}}): the new spec. Strings use str8
     * for 32..255 bytes, byte arrays use bin8/16/32.
     */
    IPC
}
