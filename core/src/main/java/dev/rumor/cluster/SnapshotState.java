package dev.rumor.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a serf snapshot file says after replaying it (serf {@code snapshot.go} {@code replay}): the
 * members last known alive (name → {@code ip:port}) and the three Lamport clocks. Pure; the file I/O is in
 * {@link Snapshotter}.
 *
 * <p>Line grammar (one record per line, written by serf and by us):
 * <pre>
 * alive: NAME IP:PORT     the address is after the LAST space, so names may contain spaces
 * not-alive: NAME
 * clock: N                member clock - 1
 * event-clock: N
 * query-clock: N
 * leave                   graceful leave: forget everything unless rejoin-after-leave
 * coordinate: ...         legacy, ignored
 * # ...                   comment
 * </pre>
 * Unparsable lines are counted in {@link #skippedLines()} and otherwise ignored, as serf does.
 *
 * <p>Thread contract: not thread-safe.
 */
public final class SnapshotState {
    private final boolean rejoinAfterLeave;
    private final Map<String, String> alive = new LinkedHashMap<>();
    private long lastClock;
    private long lastEventClock;
    private long lastQueryClock;
    private int skippedLines;

    public SnapshotState(boolean rejoinAfterLeave) {
        this.rejoinAfterLeave = rejoinAfterLeave;
    }

    /** Applies one line (without its newline). */
    public void apply(String line) {
        if (line.startsWith("alive: ")) {
            String info = line.substring("alive: ".length());
            int idx = info.lastIndexOf(' ');
            if (idx < 0) {
                skippedLines++;
                return;
            }
            String name = info.substring(0, idx);
            alive.remove(name);
            alive.put(name, info.substring(idx + 1));
        } else if (line.startsWith("not-alive: ")) {
            alive.remove(line.substring("not-alive: ".length()));
        } else if (line.startsWith("clock: ")) {
            Long v = parse(line.substring("clock: ".length()));
            if (v != null) {
                lastClock = v;
            }
        } else if (line.startsWith("event-clock: ")) {
            Long v = parse(line.substring("event-clock: ".length()));
            if (v != null) {
                lastEventClock = v;
            }
        } else if (line.startsWith("query-clock: ")) {
            Long v = parse(line.substring("query-clock: ".length()));
            if (v != null) {
                lastQueryClock = v;
            }
        } else if (line.startsWith("coordinate: ") || line.startsWith("#")) {
            return;
        } else if (line.equals("leave")) {
            if (rejoinAfterLeave) {
                return;
            }
            alive.clear();
            lastClock = 0;
            lastEventClock = 0;
            lastQueryClock = 0;
        } else {
            skippedLines++;
        }
    }

    private Long parse(String s) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            skippedLines++;
            return null;
        }
    }

    void memberAlive(String name, String addr) {
        alive.remove(name);
        alive.put(name, addr);
    }

    void memberNotAlive(String name) {
        alive.remove(name);
    }

    void forgetAlive() {
        alive.clear();
    }

    void lastClock(long v) {
        lastClock = v;
    }

    void lastEventClock(long v) {
        lastEventClock = v;
    }

    void lastQueryClock(long v) {
        lastQueryClock = v;
    }

    /** Name → {@code ip:port}, in the order the members were last seen alive. */
    public Map<String, String> aliveNodes() {
        return Collections.unmodifiableMap(alive);
    }

    /** The member clock minus one; the restarted node witnesses this value. */
    public long lastClock() {
        return lastClock;
    }

    public long lastEventClock() {
        return lastEventClock;
    }

    public long lastQueryClock() {
        return lastQueryClock;
    }

    public int skippedLines() {
        return skippedLines;
    }
}
