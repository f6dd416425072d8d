package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChefRunLockTest {
    @TempDir
    Path tmp;

    @Test
    void absentFileIsFree() {
        assertNull(new ChefRunLock(tmp.resolve("missing.pid")).holder());
    }

    /** chef-client locks with flock(2); flock(1) does the same, so this is the case that matters. */
    @Test
    void seesAnFlockHeldByAnotherProcess() throws Exception {
        Path lock = tmp.resolve("chef-client-running.pid");
        Files.writeString(lock, "4242");
        ChefRunLock probe = new ChefRunLock(lock);
        assertNull(probe.holder(), "a leftover pid file without a lock is free");

        Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "60").start();
        try {
            Eventually.await("flock seen", Duration.ofSeconds(10), () -> probe.holder() != null);
            String who = probe.holder();
            assertTrue(who.startsWith("flock by pid "), who);
            assertTrue(who.contains("file names pid 4242"), who);
        } finally {
            ChefProcess.destroyTree(holder.toHandle(), Duration.ofSeconds(2));
        }
        Eventually.await("released", Duration.ofSeconds(10), () -> probe.holder() == null);
    }

    @Test
    void seesARecordLock() throws Exception {
        Path lock = tmp.resolve("lock");
        Files.writeString(lock, "");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = ch.lock();
            assertNotNull(new ChefRunLock(lock).holder());
            held.release();
        }
        assertNull(new ChefRunLock(lock).holder());
    }

    @Test
    void procLocksLines() {
        assertEquals("flock by pid 8602",
                ChefRunLock.matchProcLine("4: FLOCK  ADVISORY  WRITE 8602 fe:00:2146837 0 EOF", 0xfe, 0, 2146837));
        assertEquals("posix lock by pid 12",
                ChefRunLock.matchProcLine("1: POSIX  ADVISORY  WRITE 12 08:01:99 0 EOF", 8, 1, 99));
        assertNull(ChefRunLock.matchProcLine("4: FLOCK  ADVISORY  WRITE 8602 fe:00:2146837 0 EOF", 0xfe, 0, 7));
        assertNull(ChefRunLock.matchProcLine("4: FLOCK  ADVISORY  WRITE 8602 fe:01:2146837 0 EOF", 0xfe, 0, 2146837));
        assertNull(ChefRunLock.matchProcLine("4: -> FLOCK  ADVISORY  WRITE 9 fe:00:2146837 0 EOF", 0xfe, 0, 2146837));
        assertNull(ChefRunLock.matchProcLine("garbage", 0, 0, 0));
    }
}
