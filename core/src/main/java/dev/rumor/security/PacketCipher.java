package dev.rumor.security;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * memberlist's AES-GCM envelope (wire-protocol.md §4): {@code version | 12-byte nonce | ciphertext | 16-byte tag}.
 * Version 1 (every serf node) seals the plaintext as is; version 0 (memberlist protocol 1) PKCS#7-pads
 * it to a multiple of 16 first. Packets use no additional data; streams authenticate their 5-byte
 * {@code 0a | length} header as additional data.
 *
 * <p>Thread-safe: every thread keeps its own {@link Cipher} instances (one per key it has used recently, at
 * most {@value #KEYS_PER_THREAD}), re-initialised for every packet with that packet's nonce. Creating a
 * {@code Cipher} and expanding the AES key per packet cost ~5.6 KB of garbage per call; an initialised
 * cipher for the same key skips both. A {@code Cipher} is never shared between threads, and nothing calls
 * back into this class while one is in use. Nonces come from one shared {@link SecureRandom}.
 */
public final class PacketCipher {

    public static final int VERSION_SIZE = 1;
    public static final int NONCE_SIZE = 12;
    public static final int TAG_SIZE = 16;
    public static final int BLOCK_SIZE = 16;
    /** The version every serf node speaks. */
    public static final int CURRENT_VERSION = 1;
    private static final int MAX_VERSION = 1;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** A keyring holds the primary key plus a few being rotated in or out. */
    private static final int KEYS_PER_THREAD = 4;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Ciphers> CIPHERS = ThreadLocal.withInitial(Ciphers::new);

    private PacketCipher() {
    }

    /** Worst-case bytes added by encryption: 29 for version 1, 45 for version 0. */
    public static int overhead(int version) {
        return version == 0 ? VERSION_SIZE + NONCE_SIZE + BLOCK_SIZE + TAG_SIZE : VERSION_SIZE + NONCE_SIZE + TAG_SIZE;
    }

    /** Exact blob length for a plaintext of {@code plainLength} bytes. */
    public static int encryptedLength(int version, int plainLength) {
        if (version >= 1) {
            return VERSION_SIZE + NONCE_SIZE + plainLength + TAG_SIZE;
        }
        return VERSION_SIZE + NONCE_SIZE + plainLength + (BLOCK_SIZE - plainLength % BLOCK_SIZE) + TAG_SIZE;
    }

    /** Seals with a fresh random nonce. {@code ad} may be null (no additional data). */
    public static byte[] encrypt(int version, byte[] key, byte[] plain, byte[] ad) {
        byte[] nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return encrypt(version, key, nonce, plain, ad);
    }

    /** Seals with the given nonce (tests only: a nonce must never be reused with the same key). */
    static byte[] encrypt(int version, byte[] key, byte[] nonce, byte[] plain, byte[] ad) {
        if (version < 0 || version > MAX_VERSION) {
            throw new IllegalArgumentException("unsupported encryption version " + version);
        }
        byte[] src = plain;
        if (version == 0) {
            int pad = BLOCK_SIZE - plain.length % BLOCK_SIZE;
            src = Arrays.copyOf(plain, plain.length + pad);
            Arrays.fill(src, plain.length, src.length, (byte) pad);
        }
        try {
            Slot slot = CIPHERS.get().forKey(key);
            Cipher c = slot.cipher();
            SecretKeySpec keySpec = slot.spec();
            GCMParameterSpec spec = new GCMParameterSpec(TAG_SIZE * 8, nonce);
            try {
                c.init(Cipher.ENCRYPT_MODE, keySpec, spec);
            } catch (InvalidAlgorithmParameterException sameNonceAsLastTime) {
                // the JDK refuses to reuse one Cipher with the last key and nonce; only the tests' fixed
                // nonces do that, and a fresh Cipher (what every call used to get) accepts them
                c = Cipher.getInstance(TRANSFORMATION);
                c.init(Cipher.ENCRYPT_MODE, keySpec, spec);
            }
            if (ad != null && ad.length > 0) {
                c.updateAAD(ad);
            }
            byte[] out = new byte[VERSION_SIZE + NONCE_SIZE + c.getOutputSize(src.length)];
            out[0] = (byte) version;
            System.arraycopy(nonce, 0, out, VERSION_SIZE, NONCE_SIZE);
            int n = c.doFinal(src, 0, src.length, out, VERSION_SIZE + NONCE_SIZE);
            return n + VERSION_SIZE + NONCE_SIZE == out.length ? out : Arrays.copyOf(out, n + VERSION_SIZE + NONCE_SIZE);
        } catch (GeneralSecurityException e) {
            // AES/GCM is mandatory in every JRE and keys are validated by Keyring: this is a programming error
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /** Decrypts a whole blob; see {@link #decrypt(List, byte[], int, int, byte[])}. */
    public static byte[] decrypt(List<byte[]> keys, byte[] blob, byte[] ad) throws GeneralSecurityException {
        return decrypt(keys, blob, 0, blob.length, ad);
    }

    /**
     * Tries each key in order; the first that authenticates wins. Version 0 padding is removed.
     *
     * @throws GeneralSecurityException with memberlist's messages: "Cannot decrypt empty payload",
     *                                  "Unsupported encryption version N", "Payload is too small to decrypt: N",
     *                                  "No installed keys could decrypt the message"
     */
    public static byte[] decrypt(List<byte[]> keys, byte[] blob, int offset, int length, byte[] ad)
            throws GeneralSecurityException {
        if (length == 0) {
            throw new GeneralSecurityException("Cannot decrypt empty payload");
        }
        int version = blob[offset] & 0xff;
        if (version > MAX_VERSION) {
            throw new GeneralSecurityException("Unsupported encryption version " + version);
        }
        if (length < encryptedLength(version, 0)) {
            throw new GeneralSecurityException("Payload is too small to decrypt: " + length);
        }
        GCMParameterSpec spec = new GCMParameterSpec(TAG_SIZE * 8, blob, offset + VERSION_SIZE, NONCE_SIZE);
        int ctOffset = offset + VERSION_SIZE + NONCE_SIZE;
        int ctLength = length - VERSION_SIZE - NONCE_SIZE;
        Ciphers ciphers = CIPHERS.get();
        for (byte[] key : keys) {
            byte[] plain;
            try {
                Slot slot = ciphers.forKey(key);
                Cipher c = slot.cipher();
                c.init(Cipher.DECRYPT_MODE, slot.spec(), spec);
                if (ad != null && ad.length > 0) {
                    c.updateAAD(ad);
                }
                plain = c.doFinal(blob, ctOffset, ctLength);
            } catch (GeneralSecurityException | IllegalArgumentException wrongKey) {
                continue;
            }
            return version == 0 ? unpad(plain) : plain;
        }
        throw new GeneralSecurityException("No installed keys could decrypt the message");
    }

    /** A cipher with the key it is used for. */
    private record Slot(byte[] key, SecretKeySpec spec, Cipher cipher) {
    }

    /**
     * One thread's ciphers, one per recently used key, replaced round-robin when a thread sees more keys
     * than {@value #KEYS_PER_THREAD}. Keys are compared by value (in constant time): callers pass the
     * keyring's arrays, possibly copies.
     */
    private static final class Ciphers {
        private final Slot[] slots = new Slot[KEYS_PER_THREAD];
        private int next;

        Slot forKey(byte[] key) throws GeneralSecurityException {
            for (Slot s : slots) {
                if (s != null && MessageDigest.isEqual(s.key, key)) {
                    return s;
                }
            }
            SecretKeySpec spec = new SecretKeySpec(key, "AES"); // rejects an empty key as before
            Slot s = new Slot(key.clone(), spec, Cipher.getInstance(TRANSFORMATION));
            slots[next] = s;
            next = (next + 1) % KEYS_PER_THREAD;
            return s;
        }
    }

    private static byte[] unpad(byte[] padded) throws GeneralSecurityException {
        if (padded.length == 0) {
            throw new GeneralSecurityException("Cannot decode a PKCS7 buffer of zero length");
        }
        // as lenient as memberlist's pkcs7decode (which trusts the authenticated last byte), minus its panic
        int pad = padded[padded.length - 1] & 0xff;
        if (pad > padded.length) {
            throw new GeneralSecurityException("invalid PKCS7 padding " + pad);
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }
}
