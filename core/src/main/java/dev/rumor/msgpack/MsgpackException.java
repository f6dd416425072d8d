package dev.rumor.msgpack;

/**
 * Malformed or unexpected msgpack input: truncated buffers, wrong value types, out-of-range integers,
 * declared lengths beyond the available bytes. Checked on purpose: every receive path must decide to
 * count and drop, never let a peer's bytes escape as an unchecked exception.
 */
public class MsgpackException extends Exception {

    public MsgpackException(String message) {
        super(message);
    }

    public MsgpackException(String message, Throwable cause) {
        super(message, cause);
    }
}
