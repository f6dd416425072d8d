package dev.rumor.plugins.chef;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Keeps every log line (level + formatted message) so tests can assert what was logged; echoes to stderr. */
final class RecordingLogger extends LegacyAbstractLogger {
    record Line(Level level, String message) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    RecordingLogger(String name) {
        this.name = name;
    }

    List<Line> lines() {
        return lines;
    }

    long count(Level level, String contains) {
        return lines.stream().filter(l -> l.level() == level && l.message().contains(contains)).count();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String msg, Object[] args, Throwable t) {
        String text = MessageFormatter.basicArrayFormat(msg, args);
        lines.add(new Line(level, text));
        System.err.println("[" + name + "] " + level + " " + text + (t == null ? "" : " " + t));
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
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
