package dev.rumor.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketCipherTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String K1 = "ETCsssnlVeU7yB6V3tB3f4OjtaXu/1y2OrkaVf81sps=";
    /** wire-protocol.md §4.1, a real packet from serf delta to epsilon. */
    private static final String BLOB = "0170d33c77b7ba837a179c5d6258749b0cca468d34cefb4c24241c7672e33bb00748c0989a1f0f6be34a"
            + "221323964f393edf1f0a5a1fcd58a541b964c9371e02afa9d48106790daafc5e39dc38f629fa34796cd9a7fe4f81e75f338ca36a"
            + "5e78796f222bc8aa4c61b8c60346c82f3130621d60a7913c3b85d8956e2a84a0b801c3f54eb4f1dbd88e9eb4cb7350ed955ba681"
            + "c8e9f379e4d19798e32c06367af36819636eefc470f64237b9490b9dcf0fed1eb42ca07b8652b3";
    private static final String PLAIN = "0c7e8633900702004900480486a441646472a47f000001ab496e6361726e6174696f6e01"
            + "a44d657461aaff81a4726f6c65a26c62a44e6f6465a7657073696c6f6ea4506f7274cd461fa356736ea601050202050504"
            + "86a441646472a47f000001ab496e6361726e6174696f6e01a44d657461abff81a4726f6c65a3776562a44e6f6465a564656c"
            + "7461a4506f7274cd461ea356736ea6010502020505";

    @Test
    void realCaptureDecryptsToTheDocumentedPlaintext() throws Exception {
        byte[] key = Keyring.decodeKey(K1);
        byte[] other = new byte[16];
        byte[] plain = PacketCipher.decrypt(List.of(other, key), HEX.parseHex(BLOB), null);
        assertEquals(156, plain.length);
        assertEquals(PLAIN, HEX.formatHex(plain));
        // re-sealing with the captured nonce reproduces the captured blob exactly
        byte[] nonce = HEX.parseHex(BLOB.substring(2, 26));
        assertEquals(BLOB, HEX.formatHex(PacketCipher.encrypt(1, key, nonce, plain, null)));
        assertEquals("No installed keys could decrypt the message", assertThrows(GeneralSecurityException.class,
                () -> PacketCipher.decrypt(List.of(other), HEX.parseHex(BLOB), null)).getMessage());
        // additional data must match
        assertThrows(GeneralSecurityException.class,
                () -> PacketCipher.decrypt(List.of(key), HEX.parseHex(BLOB), new byte[] {1}));
    }

    @Test
    void versionsAndSizes() throws Exception {
        for (int keyLen : new int[] {16, 24, 32}) {
            byte[] key = new byte[keyLen];
            key[0] = (byte) keyLen;
            for (int n : new int[] {0, 1, 15, 16, 17, 1000}) {
                byte[] plain = new byte[n];
                java.util.Arrays.fill(plain, (byte) 7);
                byte[] v1 = PacketCipher.encrypt(1, key, plain, new byte[] {10, 0, 0, 0, 1});
                assertEquals(PacketCipher.encryptedLength(1, n), v1.length);
                assertEquals(n + 29, v1.length);
                assertArrayEquals(plain, PacketCipher.decrypt(List.of(key), v1, new byte[] {10, 0, 0, 0, 1}));
                byte[] v0 = PacketCipher.encrypt(0, key, plain, null);
                assertEquals(0, v0[0]);
                assertEquals(PacketCipher.encryptedLength(0, n), v0.length);
                assertEquals(0, (v0.length - 29) % 16);
                assertArrayEquals(plain, PacketCipher.decrypt(List.of(key), v0, null));
            }
        }
        assertEquals(29, PacketCipher.overhead(1));
        assertEquals(45, PacketCipher.overhead(0));
        byte[] key = new byte[16];
        byte[] blob = PacketCipher.encrypt(1, key, new byte[10], null);
        blob[0] = 2;
        assertEquals("Unsupported encryption version 2",
                assertThrows(GeneralSecurityException.class, () -> PacketCipher.decrypt(List.of(key), blob, null)).getMessage());
        assertEquals("Payload is too small to decrypt: 28", assertThrows(GeneralSecurityException.class,
                () -> PacketCipher.decrypt(List.of(key), new byte[28], null)).getMessage());
        assertEquals("Payload is too small to decrypt: 44", assertThrows(GeneralSecurityException.class,
                () -> PacketCipher.decrypt(List.of(key), new byte[44], null)).getMessage());
        assertEquals("Cannot decrypt empty payload", assertThrows(GeneralSecurityException.class,
                () -> PacketCipher.decrypt(List.of(key), new byte[0], null)).getMessage());
        // version 0 blobs whose authenticated last byte is not valid padding: 64 > length is rejected
        byte[] nonce = new byte[12];
        byte[] raw = PacketCipher.encrypt(1, key, nonce, fillLast(32, 64), null);
        raw[0] = 0;
        byte[] sealed = PacketCipher.encrypt(1, key, nonce, new byte[32], null);
        assertThrows(GeneralSecurityException.class, () -> PacketCipher.decrypt(List.of(key), raw, null));
        sealed[0] = 0;
        assertEquals(32, PacketCipher.decrypt(List.of(key), sealed, null).length); // pad byte 0 strips nothing, like Go
    }

    private static byte[] fillLast(int n, int last) {
        byte[] b = new byte[n];
        b[n - 1] = (byte) last;
        return b;
    }

    /** Ciphers are reused per thread and key: more keys than a thread keeps, interleaved, and several threads. */
    @Test
    void reusedCiphersStayCorrectAcrossKeysAndThreads() throws Exception {
        byte[][] keys = new byte[7][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = new byte[16 + 8 * (k % 3)];
            java.util.Arrays.fill(keys[k], (byte) (k + 1));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    java.util.Random r = new java.util.Random(seed);
                    int ok = 0;
                    for (int i = 0; i < 300; i++) {
                        int k = r.nextInt(keys.length);
                        byte[] plain = new byte[r.nextInt(200)];
                        r.nextBytes(plain);
                        byte[] blob = PacketCipher.encrypt(1, keys[k].clone(), plain, null);
                        // the sealing key last in a ring of three: the other two must fail first
                        List<byte[]> ring = List.of(keys[(k + 1) % keys.length], keys[(k + 2) % keys.length], keys[k]);
                        assertArrayEquals(plain, PacketCipher.decrypt(ring, blob, null));
                        assertThrows(GeneralSecurityException.class,
                                () -> PacketCipher.decrypt(List.of(keys[(k + 3) % keys.length]), blob, null));
                        blob[blob.length - 1] ^= 1;
                        assertThrows(GeneralSecurityException.class, () -> PacketCipher.decrypt(ring, blob, null));
                        ok++;
                    }
                    return ok;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : results) {
                assertEquals(300, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        // an empty key is still rejected, and does not poison the thread's ciphers
        assertThrows(IllegalArgumentException.class, () -> PacketCipher.encrypt(1, new byte[0], new byte[1], null));
        byte[] blob = PacketCipher.encrypt(1, keys[0], new byte[] {42}, null);
        assertArrayEquals(new byte[] {42}, PacketCipher.decrypt(List.of(new byte[0], keys[0]), blob, null));
    }
}
