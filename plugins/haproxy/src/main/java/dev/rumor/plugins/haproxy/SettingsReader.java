package dev.rumor.plugins.haproxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to one level of a handler's settings map (as parsed from JSON or YAML). Every error is an
 * {@link IllegalArgumentException} whose message starts with the key's path, e.g.
 * {@code "backends[0].port: expected an integer, got \"x\""}, so the host can prefix file and instance.
 */
final class SettingsReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private final Map<String, Object> map;
    private final String path;

    SettingsReader(Map<String, Object> map, String path) {
        this.map = map == null ? Map.of() : map;
        this.path = path;
    }

    /** Fails on keys this plugin does not know: a typo must not silently fall back to a default. */
    void rejectUnknown(Set<String> known) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(name(key) + ": unknown setting (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String string(String key, String fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new IllegalArgumentException(name(key) + ": expected a string, got " + describe(v));
    }

    String requireString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(name(key) + " is required");
        }
        return s;
    }

    boolean bool(String key, boolean fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name(key) + ": expected true or false, got " + describe(v));
    }

    Integer integer(String key, int min, int max) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.trim().matches("-?\\d{1,10}")) {
            n = Long.parseLong(s.trim());
        } else {
            throw new IllegalArgumentException(name(key) + ": expected an integer, got " + describe(v));
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name(key) + ": must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    /** "10s", "500ms", "2m", "1h", or a plain number of seconds. */
    Duration duration(String key, Duration fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        String text = v.toString().trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (!(v instanceof Number || v instanceof String) || !m.matches()) {
            throw new IllegalArgumentException(name(key) + ": expected a duration like 10s, 500ms or 2m, got "
                    + describe(v));
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    @SuppressWarnings("unchecked")
    SettingsReader child(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(name(key) + ": expected a map, got " + describe(v));
        }
        return new SettingsReader((Map<String, Object>) m, name(key));
    }

    /** A map of strings to strings (tag selectors). */
    Map<String, String> stringMap(String key) {
        SettingsReader child = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (child != null) {
            for (String k : child.map.keySet()) {
                out.put(k, child.requireString(k));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    List<SettingsReader> mapList(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(name(key) + ": expected a list, got " + describe(v));
        }
        List<SettingsReader> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String itemPath = name(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(itemPath + ": expected a map, got " + describe(list.get(i)));
            }
            out.add(new SettingsReader((Map<String, Object>) m, itemPath));
        }
        return out;
    }

    List<String> stringList(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(name(key) + ": expected a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String || o instanceof Number)) {
                throw new IllegalArgumentException(name(key) + ": expected a list of strings, got " + describe(v));
            }
            out.add(o.toString());
        }
        return out;
    }

    Object raw(String key) {
        return map.get(key);
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        return v instanceof Map ? "a map" : v instanceof List ? "a list" : String.valueOf(v);
    }
}
