package dev.rumor.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

    private static final String K1 = "ETCsssnlVeU7yB6V3tB3f4OjtaXu/1y2OrkaVf81sps=";
    private static final byte[] A = fill(16, 1);
    private static final byte[] B = fill(24, 2);
    private static final byte[] C = fill(32, 3);

    private static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void semanticsFollowMemberlist() throws Exception {
        Keyring ring = Keyring.of(A);
        assertArrayEquals(A, ring.primaryKey());
        ring.addKey(B);
        ring.addKey(C);
        ring.addKey(B); // present: ignored
        assertEquals(3, ring.size());
        assertArrayEquals(B, ring.keys().get(1));
        ring.useKey(C);
        assertArrayEquals(C, ring.primaryKey());
        assertArrayEquals(A, ring.keys().get(1));
        assertArrayEquals(B, ring.keys().get(2));
        assertEquals("Requested key is not in the keyring",
                assertThrows(KeyringException.class, () -> ring.useKey(fill(16, 9))).getMessage());
        assertEquals("Removing the primary key is not allowed",
                assertThrows(KeyringException.class, () -> ring.removeKey(C)).getMessage());
        ring.removeKey(fill(32, 9)); // absent: fine
        ring.removeKey(A);
        assertEquals(2, ring.size());
        assertFalse(ring.contains(A));
        assertTrue(ring.contains(B));
        assertThrows(KeyringException.class, () -> ring.addKey(new byte[15]));
        assertThrows(KeyringException.class, () -> new Keyring(List.of()));
        // copies, not views
        ring.keys().get(0)[0] = 42;
        ring.primaryKey()[0] = 42;
        assertArrayEquals(C, ring.primaryKey());
    }

    @Test
    void base64Keys() throws Exception {
        byte[] k = Keyring.decodeKey(K1);
        assertEquals(32, k.length);
        assertEquals(K1, Keyring.encodeKey(k));
        assertThrows(KeyringException.class, () -> Keyring.decodeKey("not base64!"));
        assertThrows(KeyringException.class, () -> Keyring.decodeKey("AAAA"));
        assertEquals(16, Keyring.decodeKey(Keyring.encodeKey(A)).length);
    }

    @Test
    void keyringFileRoundTripAsSerfWritesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keyring.json");
        Keyring ring = Keyring.of(Keyring.decodeKey(K1), A);
        ring.writeFile(file);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals("[\n  \"" + K1 + "\",\n  \"" + Keyring.encodeKey(A) + "\"\n]", json);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Keyring back = Keyring.readFile(file);
        assertEquals(2, back.size());
        assertArrayEquals(Keyring.decodeKey(K1), back.primaryKey());
        // rewriting replaces the file and keeps 0600
        back.useKey(A);
        back.writeFile(file);
        assertArrayEquals(A, Keyring.readFile(file).primaryKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    @Test
    void badKeyringFiles(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("k");
        assertThrows(IOException.class, () -> Keyring.readFile(f));
        Files.writeString(f, "[]");
        assertEquals("Keyring file contains no keys", assertThrows(IOException.class, () -> Keyring.readFile(f)).getMessage());
        Files.writeString(f, "{\"a\":1}");
        assertTrue(assertThrows(IOException.class, () -> Keyring.readFile(f)).getMessage().startsWith("Failed to decode keyring file"));
        Files.writeString(f, "[\"!!\"]");
        assertTrue(assertThrows(IOException.class, () -> Keyring.readFile(f)).getMessage().startsWith("Failed to decode key from keyring"));
        Files.writeString(f, "[\"AAAA\"]");
        assertTrue(assertThrows(IOException.class, () -> Keyring.readFile(f)).getMessage().startsWith("Failed to restore keyring"));
    }

    @Test
    void concurrentMutationsKeepTheKeyringConsistent() throws Exception {
        Keyring ring = Keyring.of(A);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            keys.add(fill(16, 10 + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = offset; i < keys.size(); i += 4) {
                        ring.addKey(keys.get(i));
                        ring.useKey(keys.get(i));
                        ring.keys();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertEquals(List.of(), failures);
        assertEquals(65, ring.size());
    }
}
