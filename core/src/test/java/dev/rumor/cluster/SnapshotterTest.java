package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.time.VirtualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotterTest {
    @TempDir
    Path dir;

    private static SnapshotState replay(String content, boolean rejoin) {
        SnapshotState s = new SnapshotState(rejoin);
        Snapshotter.replay(content, s);
        return s;
    }

    @Test
    void replaysTheRealAgentFile() {
        // §7.14: observed file after join, 8 queries, SIGHUP, restart and SIGINT
        String file = "alive: epsilon 127.0.0.1:17951\nalive: delta 127.0.0.1:17950\nclock: 1\nquery-clock: 1\n"
                + "query-clock: 8\nalive: epsilon 127.0.0.1:17951\nalive: delta 127.0.0.1:17950\nleave\nclock: 2\n";
        SnapshotState s = replay(file, false);
        assertEquals(Map.of(), s.aliveNodes());
        assertEquals(2, s.lastClock());
        assertEquals(0, s.lastQueryClock(), "leave resets the clocks");

        SnapshotState rejoin = replay(file, true);
        assertEquals(List.of("epsilon", "delta"), List.copyOf(rejoin.aliveNodes().keySet()));
        assertEquals("127.0.0.1:17950", rejoin.aliveNodes().get("delta"));
        assertEquals(2, rejoin.lastClock());
        assertEquals(8, rejoin.lastQueryClock());
    }

    @Test
    void namesWithSpacesCommentsLegacyAndGarbage() {
        String file = "# comment\nalive: my node 10.0.0.1:7946\ncoordinate: 1 2 3\nalive: nospace\n"
                + "clock: notanumber\nevent-clock: 18446744073709551615\nwhat is this\nnot-alive: ghost\n"
                + "alive: x 1.2.3.4:5";  // no trailing newline: ignored, like bufio ReadString
        SnapshotState s = replay(file, false);
        assertEquals(Map.of("my node", "10.0.0.1:7946"), s.aliveNodes());
        assertEquals(-1L, s.lastEventClock(), "u64 max survives as the unsigned view of -1");
        assertEquals(3, s.skippedLines());
        assertEquals(0, s.lastClock());
    }

    @Test
    void writesLinesAndRestoresThemOnRestart() throws IOException {
        VirtualScheduler time = new VirtualScheduler();
        Path p = dir.resolve("snap");
        try (Snapshotter snap = Snapshotter.open(p, Snapshotter.DEFAULT_MIN_COMPACT_SIZE, false, time)) {
            snap.memberJoined("alpha", "127.0.0.1:7946");
            snap.memberJoined("beta", "127.0.0.1:7947");
            snap.updateClock(1);  // clock - 1 = 0: not newer than 0, nothing written
            snap.updateClock(3);
            snap.updateClock(3);
            snap.userEvent(5);
            snap.userEvent(4);
            snap.query(2);
            snap.memberGone("beta");
        }
        String content = Files.readString(p);
        assertEquals("alive: alpha 127.0.0.1:7946\nalive: beta 127.0.0.1:7947\nclock: 2\nevent-clock: 5\n"
                + "query-clock: 2\nnot-alive: beta\n", content);
        try (Snapshotter again = Snapshotter.open(p, Snapshotter.DEFAULT_MIN_COMPACT_SIZE, false, time)) {
            assertEquals(Map.of("alpha", "127.0.0.1:7946"), again.state().aliveNodes());
            assertEquals(2, again.state().lastClock());
            assertEquals(5, again.state().lastEventClock());
            assertEquals(2, again.state().lastQueryClock());
            again.memberJoined("gamma", "127.0.0.1:7948");
        }
        assertTrue(Files.readString(p).endsWith("not-alive: beta\nalive: gamma 127.0.0.1:7948\n"), "appends");
    }

    @Test
    void flushesAtMostEveryHalfSecondUntilLeave() throws IOException {
        VirtualScheduler time = new VirtualScheduler();
        Path p = dir.resolve("snap");
        try (Snapshotter snap = Snapshotter.open(p, Snapshotter.DEFAULT_MIN_COMPACT_SIZE, false, time)) {
            snap.memberJoined("a", "127.0.0.1:1");
            assertEquals("", Files.readString(p), "buffered");
            time.runFor(Duration.ofMillis(501));
            snap.memberJoined("b", "127.0.0.1:2");
            assertEquals("alive: a 127.0.0.1:1\nalive: b 127.0.0.1:2\n", Files.readString(p));
            snap.leave(false);
            assertTrue(Files.readString(p).endsWith("leave\n"));
            assertTrue(snap.state().aliveNodes().isEmpty());
            snap.memberJoined("c", "127.0.0.1:3");
            snap.userEvent(9);
        }
        assertFalse(Files.readString(p).contains("alive: c"), "nothing is recorded after leave");
        assertFalse(Files.readString(p).contains("event-clock"));
    }

    @Test
    void compactsWhenTheFileOutgrowsItsThreshold() throws IOException {
        VirtualScheduler time = new VirtualScheduler();
        Path p = dir.resolve("snap");
        try (Snapshotter snap = Snapshotter.open(p, 1024, false, time)) {
            for (int i = 0; i < 200; i++) {
                snap.memberJoined("flappy", "127.0.0.1:9000");
                snap.memberGone("flappy");
            }
            snap.memberJoined("stable", "127.0.0.1:9001");
            snap.userEvent(7);
            snap.flush();
            long size = Files.size(p);
            assertTrue(size <= 1024, "compacted, size " + size);
            assertFalse(Files.exists(dir.resolve("snap" + Snapshotter.TMP_EXT)));
        }
        SnapshotState s = replay(Files.readString(p), false);
        assertEquals(Map.of("stable", "127.0.0.1:9001"), s.aliveNodes());
        assertEquals(7, s.lastEventClock());
    }

    @Test
    void compactedFileHasAliveLinesThenTheThreeClocks() throws IOException {
        VirtualScheduler time = new VirtualScheduler();
        Path p = dir.resolve("snap");
        try (Snapshotter snap = Snapshotter.open(p, 1 << 20, false, time)) {
            snap.memberJoined("a", "127.0.0.1:1");
            snap.updateClock(5);
            snap.query(3);
            snap.compact();
        }
        assertEquals("alive: a 127.0.0.1:1\nclock: 4\nevent-clock: 0\nquery-clock: 3\n",
                Files.readString(p, StandardCharsets.UTF_8));
    }

    @Test
    void hostPortPrintsLikeGo() {
        assertEquals("127.0.0.1:7946", Snapshotter.hostPort(new byte[] {127, 0, 0, 1}, 7946));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        assertEquals("10.0.0.7:80", Snapshotter.hostPort(mapped, 80));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        assertEquals("[::1]:7946", Snapshotter.hostPort(v6, 7946));
        byte[] v6b = new byte[16];
        v6b[0] = 0x20;
        v6b[1] = 0x01;
        v6b[2] = 0x0d;
        v6b[3] = (byte) 0xb8;
        v6b[15] = 0x10;
        assertEquals("[2001:db8::10]:1", Snapshotter.hostPort(v6b, 1));
    }
}
