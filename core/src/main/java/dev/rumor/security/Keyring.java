package dev.rumor.security;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The AES keys a node encrypts gossip with (memberlist {@code keyring.go}, wire-protocol.md §4). The first
 * key is the primary: it encrypts everything we send; every key is tried, in order, to decrypt what we
 * receive. Installing a key everywhere, then making it primary, then removing the old one rotates keys
 * without a cluster split.
 *
 * <p>Thread-safe: mutations are serialized and publish a new immutable list; readers never block and get
 * copies.
 */
public final class Keyring {

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile List<byte[]> keys;

    /**
     * @param keys at least one key of 16, 24 or 32 bytes; the first is the primary; duplicates are dropped
     */
    public Keyring(List<byte[]> keys) throws KeyringException {
        if (keys.isEmpty()) {
            throw new KeyringException("Empty primary key not allowed");
        }
        List<byte[]> list = new ArrayList<>();
        for (byte[] k : keys) {
            validate(k);
            if (indexOf(list, k) < 0) {
                list.add(k.clone());
            }
        }
        this.keys = List.copyOf(list);
    }

    public static Keyring of(byte[] primary, byte[]... others) throws KeyringException {
        List<byte[]> all = new ArrayList<>();
        all.add(primary);
        all.addAll(Arrays.asList(others));
        return new Keyring(all);
    }

    /** A copy of the key all outgoing messages are encrypted with. */
    public byte[] primaryKey() {
        return keys.get(0).clone();
    }

    /** Copies of all keys, primary first. */
    public List<byte[]> keys() {
        List<byte[]> snapshot = keys;
        List<byte[]> out = new ArrayList<>(snapshot.size());
        for (byte[] k : snapshot) {
            out.add(k.clone());
        }
        return out;
    }

    public int size() {
        return keys.size();
    }

    public boolean contains(byte[] key) {
        return indexOf(keys, key) >= 0;
    }

    /** Installs a key as a secondary (appended); installing a present key does nothing. */
    public synchronized void addKey(byte[] key) throws KeyringException {
        validate(key);
        if (indexOf(keys, key) >= 0) {
            return;
        }
        List<byte[]> next = new ArrayList<>(keys);
        next.add(key.clone());
        keys = List.copyOf(next);
    }

    /** Makes an installed key the primary (moved to the front, the others keep their order). */
    public synchronized void useKey(byte[] key) throws KeyringException {
        int i = indexOf(keys, key);
        if (i < 0) {
            throw new KeyringException("Requested key is not in the keyring");
        }
        List<byte[]> next = new ArrayList<>(keys);
        next.add(0, next.remove(i));
        keys = List.copyOf(next);
    }

    /** Removes a secondary key; removing a key that is not installed is not an error. */
    public synchronized void removeKey(byte[] key) throws KeyringException {
        int i = indexOf(keys, key);
        if (i == 0) {
            throw new KeyringException("Removing the primary key is not allowed");
        }
        if (i < 0) {
            return;
        }
        List<byte[]> next = new ArrayList<>(keys);
        next.remove(i);
        keys = List.copyOf(next);
    }

    /** Standard padded base64, as {@code serf keygen} prints and {@code -encrypt} takes. */
    public static String encodeKey(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Decodes and size-checks a base64 key. */
    public static byte[] decodeKey(String base64) throws KeyringException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new KeyringException("illegal base64 key: " + e.getMessage(), e);
        }
        validate(key);
        return key;
    }

    /** Serf's keyring file: a JSON array of base64 keys, primary first; empty arrays are rejected. */
    public static Keyring readFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String[] encoded;
        try {
            encoded = JSON.readValue(Files.readAllBytes(file), String[].class);
        } catch (IOException e) {
            throw new IOException("Failed to decode keyring file: " + e.getMessage(), e);
        }
        if (encoded == null || encoded.length == 0) {
            throw new IOException("Keyring file contains no keys");
        }
        List<byte[]> keys = new ArrayList<>();
        for (String s : encoded) {
            if (s == null) {
                throw new IOException("Failed to decode key from keyring: null");
            }
            try {
                keys.add(Base64.getDecoder().decode(s));
            } catch (IllegalArgumentException e) {
                throw new IOException("Failed to decode key from keyring: " + e.getMessage(), e);
            }
        }
        try {
            return new Keyring(keys);
        } catch (KeyringException e) {
            throw new IOException("Failed to restore keyring: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the keys as serf does (2-space indented JSON array, no trailing newline), readable only by the
     * owner (0600). The file is replaced atomically so a crash never leaves a half-written keyring.
     */
    public void writeFile(Path file) throws IOException {
        List<String> encoded = new ArrayList<>();
        for (byte[] k : keys) {
            encoded.add(encodeKey(k));
        }
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withArrayIndenter(indent).withObjectIndenter(indent);
        byte[] json = JSON.writer(printer).writeValueAsString(encoded).getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: nothing finer to do
            }
            Files.write(tmp, json);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void validate(byte[] key) throws KeyringException {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new KeyringException("key size must be 16, 24 or 32 bytes");
        }
    }

    private static int indexOf(List<byte[]> list, byte[] key) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), key)) {
                return i;
            }
        }
        return -1;
    }
}
