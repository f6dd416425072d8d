package dev.rumor.cluster;

import dev.rumor.time.Clock;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serf snapshot file ({@code -snapshot}): an append-only log of member liveness and the three Lamport
 * clocks, so a restarted node re-joins the members it knew and does not replay old events or queries.
 * Format in {@link SnapshotState}; the file is interchangeable with the Go agent's.
 *
 * <p>Writing follows serf: lines are buffered and flushed at most every {@link #FLUSH_INTERVAL_NANOS}
 * (and on leave / close); a {@code clock} line is written only when the member clock has grown; after
 * {@link #leave()} nothing more is recorded. When the file grows beyond
 * {@code max(minCompactSize, 2 × 128 B × alive members)} it is compacted: rewritten to a {@code .compact}
 * file holding only the alive lines and the three clocks, then renamed over the original.
 *
 * <p>Thread contract: not thread-safe. It does blocking file I/O, so it runs in the event pipeline,
 * never on the protocol thread.
 */
public final class Snapshotter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    /** serf's {@code flushInterval}. */
    public static final long FLUSH_INTERVAL_NANOS = 500_000_000L;
    /** serf's default {@code MinSnapshotSize}. */
    public static final long DEFAULT_MIN_COMPACT_SIZE = 128 * 1024;
    static final int BYTES_PER_NODE = 128;
    static final int COMPACTION_THRESHOLD = 2;
    static final String TMP_EXT = ".compact";

    private final Path path;
    private final long minCompactSize;
    private final Clock clock;
    private final SnapshotState state;
    private Writer out;
    private long offset;
    private long lastFlush;
    private boolean leaving;

    private Snapshotter(Path path, long minCompactSize, Clock clock, SnapshotState state, long offset)
            throws IOException {
        this.path = path;
        this.minCompactSize = minCompactSize;
        this.clock = clock;
        this.state = state;
        this.offset = offset;
        this.out = openAppend(path);
        this.lastFlush = clock.nanoTime();
    }

    /** Opens (creating if needed) and replays the snapshot at {@code path}. */
    public static Snapshotter open(Path path, long minCompactSize, boolean rejoinAfterLeave, Clock clock)
            throws IOException {
        SnapshotState state = new SnapshotState(rejoinAfterLeave);
        long size = 0;
        if (Files.exists(path)) {
            size = Files.size(path);
            replay(new String(Files.readAllBytes(path), StandardCharsets.UTF_8), state);
        }
        return new Snapshotter(path, minCompactSize, clock, state, size);
    }

    /** Like serf, only complete lines count: a trailing fragment without newline is ignored. */
    static void replay(String content, SnapshotState state) {
        int start = 0;
        while (true) {
            int nl = content.indexOf('\n', start);
            if (nl < 0) {
                return;
            }
            state.apply(content.substring(start, nl));
            start = nl + 1;
        }
    }

    /** The replayed-and-updated view: alive members and clocks. */
    public SnapshotState state() {
        return state;
    }

    public void memberJoined(String name, String hostPort) {
        if (leaving) {
            return;
        }
        state.memberAlive(name, hostPort);
        append("alive: " + name + " " + hostPort + "\n");
    }

    public void memberGone(String name) {
        if (leaving) {
            return;
        }
        state.memberNotAlive(name);
        append("not-alive: " + name + "\n");
    }

    /** Records {@code memberClockTime - 1} if it grew; serf calls this every 500 ms and after member events. */
    public void updateClock(long memberClockTime) {
        if (leaving) {
            return;
        }
        long lastSeen = memberClockTime - 1;
        if (Long.compareUnsigned(lastSeen, state.lastClock()) > 0 && memberClockTime != 0) {
            state.lastClock(lastSeen);
            append("clock: " + Long.toUnsignedString(lastSeen) + "\n");
        }
    }

    public void userEvent(long ltime) {
        if (leaving || Long.compareUnsigned(ltime, state.lastEventClock()) <= 0) {
            return;
        }
        state.lastEventClock(ltime);
        append("event-clock: " + Long.toUnsignedString(ltime) + "\n");
    }

    public void query(long ltime) {
        if (leaving || Long.compareUnsigned(ltime, state.lastQueryClock()) <= 0) {
            return;
        }
        state.lastQueryClock(ltime);
        append("query-clock: " + Long.toUnsignedString(ltime) + "\n");
    }

    /** Graceful leave: writes {@code leave}, flushes, and stops recording. */
    public void leave(boolean rejoinAfterLeave) {
        if (leaving) {
            return;
        }
        leaving = true;
        if (!rejoinAfterLeave) {
            state.forgetAlive();
        }
        append("leave\n");
        flush();
    }

    public void flush() {
        try {
            out.flush();
            lastFlush = clock.nanoTime();
        } catch (IOException e) {
            LOG.error("failed to flush snapshot {}", path, e);
        }
    }

    private void append(String line) {
        try {
            out.write(line);
            offset += line.getBytes(StandardCharsets.UTF_8).length;
            long now = clock.nanoTime();
            if (now - lastFlush > FLUSH_INTERVAL_NANOS) {
                out.flush();
                lastFlush = now;
            }
            if (offset > maxSize()) {
                compact();
            }
        } catch (IOException e) {
            LOG.error("Failed to update snapshot {}", path, e);
        }
    }

    long maxSize() {
        long threshold = (long) state.aliveNodes().size() * BYTES_PER_NODE * COMPACTION_THRESHOLD;
        return Math.max(threshold, minCompactSize);
    }

    /** Rewrites the file with only the current alive members and clocks. */
    void compact() throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + TMP_EXT);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : state.aliveNodes().entrySet()) {
            sb.append("alive: ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        sb.append("clock: ").append(Long.toUnsignedString(state.lastClock())).append('\n');
        sb.append("event-clock: ").append(Long.toUnsignedString(state.lastEventClock())).append('\n');
        sb.append("query-clock: ").append(Long.toUnsignedString(state.lastQueryClock())).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(tmp, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        out.close();
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out = openAppend(path);
        offset = bytes.length;
        lastFlush = clock.nanoTime();
    }

    private static Writer openAppend(Path p) throws IOException {
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.error("failed to close snapshot {}", path, e);
        }
    }

    /**
     * {@code ip:port} as Go's {@code net.TCPAddr.String()} prints it: dotted IPv4 (also for 16-byte
     * IPv4-mapped addresses), bracketed IPv6.
     */
    public static String hostPort(byte[] ip, int port) {
        try {
            InetAddress a = InetAddress.getByAddress(ip);
            String host = a.getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + compressIpv6(a) + "]";
            }
            return host + ":" + port;
        } catch (UnknownHostException e) {
            return "?:" + port;
        }
    }

    private static String compressIpv6(InetAddress a) {
        // Java prints full groups without "::" compression; Go prints RFC 5952 form.
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
