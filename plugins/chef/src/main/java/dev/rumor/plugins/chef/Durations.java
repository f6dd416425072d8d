package dev.rumor.plugins.chef;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way serf's config does (Go's {@code time.ParseDuration} units): "30s", "1m30s",
 * "500ms", "2h"; a bare "0" means zero. A number in the settings map is read as seconds.
 */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String key, Object value) {
        if (value instanceof Number n) {
            if (n.doubleValue() < 0) {
                throw new IllegalArgumentException(key + " must not be negative, got " + value);
            }
            return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(key + " must be a duration such as \"30s\", got " + value);
        }
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        long millis = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            millis += Math.round(amount * unit);
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw new IllegalArgumentException(key + " must be a duration such as \"30s\" or \"1m30s\", got \""
                    + text + "\"");
        }
        return Duration.ofMillis(millis);
    }

    /** "1m30s"-style text, for log lines. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder sb = new StringBuilder();
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            sb.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            sb.append(s).append('s');
        }
        return sb.toString();
    }
}
