package dev.rumor.security;

/**
 * A rejected keyring operation. The messages are memberlist's/serf's own wording because they travel back
 * to operators through the key-management internal queries and the CLI.
 */
public class KeyringException extends Exception {

    public KeyringException(String message) {
        super(message);
    }

    public KeyringException(String message, Throwable cause) {
        super(message, cause);
    }
}
