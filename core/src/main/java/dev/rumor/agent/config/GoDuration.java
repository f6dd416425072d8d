package dev.rumor.agent.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written as Go writes them ({@code "30s"}, {@code "1h30m"}, {@code "500ms"}, {@code "1.5s"}),
 * because serf config files use Go's {@code time.ParseDuration} syntax. Keeps the original text so error
 * messages and {@code rumor info} show what the user wrote.
 */
public record GoDuration(Duration value, String text) {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    /** Parses Go duration syntax; throws IllegalArgumentException with the offending text. */
    @JsonCreator
    public static GoDuration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid duration: null");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return new GoDuration(Duration.ZERO, text);
        }
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration '" + text + "'");
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration '" + text + "' (use e.g. 500ms, 30s, 5m, 1h30m)");
            }
            nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            pos = m.end();
        }
        long n = Math.round(nanos);
        return new GoDuration(Duration.ofNanos(negative ? -n : n), text);
    }

    public static GoDuration of(Duration d) {
        return new GoDuration(d, format(d));
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }

    /** Go's {@code Duration.String()} shape for whole units: "24h0m0s", "30s", "500ms". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000 && ms > -1000 && !d.isZero()) {
            return ms + "ms";
        }
        long secs = d.getSeconds();
        long h = secs / 3600;
        long m = (secs % 3600) / 60;
        long s = secs % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        if (m > 0) {
            return m + "m" + s + "s";
        }
        return s + "s";
    }

    @JsonValue
    @Override
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
