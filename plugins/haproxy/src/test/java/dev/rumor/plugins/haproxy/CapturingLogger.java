package dev.rumor.plugins.haproxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Records every log line ("LEVEL message") and echoes it to stderr, so tests can assert on what was logged. */
final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    CapturingLogger(String name) {
        this.name = name;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines at {@code level} containing {@code fragment}. */
    List<String> find(Level level, String fragment) {
        return lines.stream().filter(l -> l.startsWith(level + " ") && l.contains(fragment)).toList();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable t) {
        String line = level + " " + MessageFormatter.basicArrayFormat(pattern, args)
                + (t == null ? "" : " " + t);
        lines.add(line);
        System.err.println("[" + name + "] " + line);
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
