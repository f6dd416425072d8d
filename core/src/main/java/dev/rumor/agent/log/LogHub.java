package dev.rumor.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runtime log level, serf-shaped log lines and the {@code monitor} feed, on top of slf4j-simple.
 *
 * <p>Why this exists: slf4j-simple fixes each logger's level when the logger is created and has no API to
 * change it, and it writes straight to a stream, so neither SIGHUP's new {@code log_level} nor
 * {@code rumor monitor -log-level=debug} could work with it as is. Rather than replacing the user's choice
 * of slf4j-simple, we let slf4j-simple log everything down to DEBUG (TRACE when asked for at start-up) and
 * point its output at {@code System.err}, which slf4j-simple resolves on every write. We install our own
 * {@code System.err}: a line splitter that parses slf4j-simple's {@code DATE [LEVEL] logger - message},
 * rewrites it in serf's shape ({@code DATE [LEVEL] component: message}, ERROR as ERR), keeps the last
 * 512 lines for monitor replay, hands every line to monitor subscribers at their own level, and prints
 * to the console only what passes the current level (changeable at any time with {@link #setLevel}).
 * Lines that do not start with a header (stack traces) inherit the previous line's level.
 *
 * <p>Thread contract: all methods are thread-safe.
 */
public final class LogHub {
    /** serf's levels, lowest first; the index is the severity. */
    public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERR");
    static final int RING = 512;
    private static final Pattern HEADER = Pattern.compile(
            "^(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}) \\[(TRACE|DEBUG|INFO|WARN|ERROR)\\] (\\S+) - (.*)$", Pattern.DOTALL);

    private static volatile LogHub installed;

    private final PrintStream console;
    private final Deque<Line> ring = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile int level;
    /** Set while this thread hands lines to subscribers: their own log lines are not fed back to them. */
    private static final ThreadLocal<Boolean> DELIVERING = ThreadLocal.withInitial(() -> false);
    private int lastSeverity = 2;
    /** Console lines held back until the start-up banner is printed (serf's logGate). */
    private List<String> gated = new ArrayList<>();

    /** One formatted line and its severity. */
    public record Line(int severity, String text) {
    }

    private record Subscriber(int severity, Consumer<String> sink) {
    }

    LogHub(PrintStream console, String level) {
        this.console = console;
        this.level = severity(level);
    }

    /**
     * Configures slf4j-simple and takes over {@code System.err}. Call once, first thing in the agent's main,
     * before any logger exists (slf4j-simple reads its properties when the first logger is created).
     */
    public static synchronized LogHub install(String level) {
        if (installed != null) {
            installed.setLevel(level);
            return installed;
        }
        String threshold = "TRACE".equalsIgnoreCase(level) ? "trace" : "debug";
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", threshold);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy/MM/dd HH:mm:ss");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "false");
        // the agent's console output goes to stdout, like serf's
        LogHub hub = new LogHub(System.out, level);
        System.setErr(new PrintStream(new LineSplitter(hub), true, StandardCharsets.UTF_8));
        installed = hub;
        return hub;
    }

    /** The installed hub, or null when the process is not an agent (CLI, tests). */
    public static LogHub installed() {
        return installed;
    }

    /** @throws IllegalArgumentException for a level serf does not know ("Invalid log level") */
    public static int severity(String level) {
        String l = level == null ? "INFO" : level.toUpperCase(Locale.ROOT);
        if (l.equals("ERROR")) {
            l = "ERR";
        }
        if (l.equals("WARNING")) {
            l = "WARN";
        }
        int i = LEVELS.indexOf(l);
        if (i < 0) {
            throw new IllegalArgumentException("Invalid log level: " + level
                    + ". Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
        }
        return i;
    }

    public void setLevel(String newLevel) {
        level = severity(newLevel);
    }

    public String level() {
        return LEVELS.get(level);
    }

    /**
     * Subscribes to lines at {@code minLevel} and above; the recent history is delivered first, on the
     * caller's thread. Close the returned handle to stop.
     */
    public AutoCloseable subscribe(String minLevel, Consumer<String> sink) {
        Subscriber s = new Subscriber(severity(minLevel), sink);
        List<Line> history;
        synchronized (ring) {
            history = new ArrayList<>(ring);
            subscribers.add(s);
        }
        boolean outer = !DELIVERING.get();
        DELIVERING.set(true);
        try {
            for (Line l : history) {
                if (l.severity() >= s.severity()) {
                    sink.accept(l.text());
                }
            }
        } finally {
            DELIVERING.set(!outer);
        }
        return () -> subscribers.remove(s);
    }

    /** Takes one raw slf4j-simple line (without the newline). */
    void accept(String raw) {
        Line line = reshape(raw);
        synchronized (ring) {
            ring.addLast(line);
            if (ring.size() > RING) {
                ring.removeFirst();
            }
        }
        if (DELIVERING.get()) {
            // logged by a subscriber while it was handed a line (e.g. "Dropping ..." from a full monitor
            // client): feeding it back to the subscribers would recurse until the stack overflows
            printIfEnabled(line);
            return;
        }
        DELIVERING.set(true);
        try {
            for (Subscriber s : subscribers) {
                if (line.severity() >= s.severity()) {
                    try {
                        s.sink().accept(line.text());
                    } catch (RuntimeException ignored) {
                        // a broken subscriber must not break logging
                    }
                }
            }
        } finally {
            DELIVERING.set(false);
        }
        printIfEnabled(line);
    }

    private void printIfEnabled(Line line) {
        if (line.severity() >= level) {
            synchronized (this) {
                if (gated != null) {
                    gated.add("    " + line.text());
                    return;
                }
            }
            console.println("    " + line.text());
        }
    }

    /** Prints the held-back start-up lines and lets later lines through directly. */
    public synchronized void openGate() {
        if (gated != null) {
            gated.forEach(console::println);
            gated = null;
        }
    }

    /** slf4j-simple's line → serf's shape; continuation lines keep the previous severity. */
    synchronized Line reshape(String raw) {
        Matcher m = HEADER.matcher(raw);
        if (!m.matches()) {
            return new Line(lastSeverity, raw);
        }
        String lvl = m.group(2).equals("ERROR") ? "ERR" : m.group(2);
        if (lvl.equals("INFO") && m.group(3).startsWith("org.pf4j")) {
            lvl = "DEBUG"; // PF4J's per-jar lifecycle chatter; our own plugin-host lines say what matters
        }
        lastSeverity = LEVELS.indexOf(lvl);
        return new Line(lastSeverity, m.group(1) + " [" + lvl + "] " + component(m.group(3)) + ": " + m.group(4));
    }

    /** Logger names → serf's component names where there is one. */
    static String component(String logger) {
        if (logger.startsWith("dev.rumor.membership") || logger.startsWith("dev.rumor.transport")) {
            return "memberlist";
        }
        if (logger.startsWith("dev.rumor.cluster") || logger.startsWith("dev.rumor.coordinate")) {
            return "serf";
        }
        if (logger.startsWith("dev.rumor.rpc")) {
            return "agent.ipc";
        }
        if (logger.startsWith("dev.rumor.agent")) {
            return "agent";
        }
        if (logger.startsWith("org.pf4j")) {
            return "agent.plugins";
        }
        return logger;
    }

    /** Splits the byte stream slf4j-simple writes into lines. */
    static final class LineSplitter extends OutputStream {
        private final LogHub hub;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        LineSplitter(LogHub hub) {
            this.hub = hub;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                buf.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine() {
            String s = buf.toString(StandardCharsets.UTF_8);
            buf.reset();
            if (s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            hub.accept(s);
        }
    }
}
