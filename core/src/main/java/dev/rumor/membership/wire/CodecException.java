package dev.rumor.membership.wire;

/**
 * A memberlist message or packet that cannot be decoded (malformed msgpack, bad framing, failed CRC,
 * decryption failure, oversize declared lengths). The only exception type the wire codec throws on
 * peer input; callers count it and drop the input.
 */
public class CodecException extends Exception {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
