package dev.rumor.plugins.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to one level of the settings map (as parsed from YAML or JSON: strings, numbers, booleans,
 * lists and maps), producing errors that name the full key path, e.g. {@code endpoints[1].timeout}. The
 * host prefixes the file and handler instance, so the message itself carries only the key.
 */
final class ConfigReader {
    private final Map<?, ?> map;
    private final String path; // "" at the top level, else "endpoints[0]" etc.

    ConfigReader(Map<?, ?> map, String path) {
        this.map = map == null ? Map.of() : map;
        this.path = path;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Refuses keys not in {@code allowed}, so a typo ("retires") is an error instead of a silent default. */
    void rejectUnknown(Set<String> allowed) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String s) || !allowed.contains(s)) {
                throw fail(key(String.valueOf(k)) + ": unknown key");
            }
        }
    }

    boolean has(String name) {
        return map.get(name) != null;
    }

    Object raw(String name) {
        return map.get(name);
    }

    String requireString(String name) {
        Object v = map.get(name);
        if (v == null) {
            throw fail(key(name) + " is required");
        }
        return scalar(name, v);
    }

    String string(String name, String dflt) {
        Object v = map.get(name);
        return v == null ? dflt : scalar(name, v);
    }

    private String scalar(String name, Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw fail(key(name) + ": must be a string");
    }

    int integer(String name, int dflt, int min, int max) {
        Object v = map.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.strip().matches("-?\\d{1,18}")) {
            n = Long.parseLong(s.strip());
        } else {
            throw fail(key(name) + ": must be an integer between " + min + " and " + max + ", got '" + v + "'");
        }
        if (n < min || n > max) {
            throw fail(key(name) + ": must be an integer between " + min + " and " + max + ", got '" + v + "'");
        }
        return (int) n;
    }

    Duration duration(String name, Duration dflt) {
        Object v = map.get(name);
        if (v == null) {
            return dflt;
        }
        Duration d = v instanceof String s ? Durations.parse(s.strip()) : null;
        if (d == null) {
            throw fail(key(name) + ": invalid duration '" + v + "' (use e.g. 500ms, 10s, 2m)");
        }
        return d;
    }

    Duration positiveDuration(String name, Duration dflt) {
        Duration d = duration(name, dflt);
        if (d.isZero() || d.isNegative()) {
            throw fail(key(name) + ": must be greater than 0, got '" + map.get(name) + "'");
        }
        return d;
    }

    ConfigReader child(String name) {
        Object v = map.get(name);
        if (v == null) {
            return new ConfigReader(Map.of(), key(name));
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(key(name) + ": must be a map");
        }
        return new ConfigReader(m, key(name));
    }

    /** @return the list, or null if absent */
    List<?> list(String name) {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw fail(key(name) + ": must be a list");
        }
        return l;
    }

    Map<?, ?> entries() {
        return map;
    }

    static IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(message);
    }
}
