package dev.rumor.plugins.chef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, validating reads of one handler's {@code config:} map (as the host parsed it from JSON or YAML).
 * Every error is an {@link IllegalArgumentException} whose message starts with the key, as the
 * {@code EventHandlerFactory} contract asks. Unknown keys are refused so that a typo such as
 * {@code time_out} is not silently ignored.
 */
final class ConfigView {
    private final Map<String, Object> map;

    ConfigView(Map<String, Object> map, Set<String> known) {
        this.map = map == null ? Map.of() : map;
        for (String key : this.map.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(key + " is not a chef setting (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key, String dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new IllegalArgumentException(key + " must be a string, got " + v);
    }

    boolean bool(String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, got " + v);
    }

    int integer(String key, int dflt, int min, int max) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        long n;
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            n = num.longValue();
        } else if (v instanceof String s && s.matches("-?\\d{1,10}")) {
            n = Long.parseLong(s);
        } else {
            throw new IllegalArgumentException(key + " must be an integer, got " + v);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    Duration duration(String key, String dflt) {
        Object v = map.get(key);
        return Durations.parse(key, v == null ? dflt : v);
    }

    /** A list of strings; a single string is read as a one-element list. */
    List<String> strings(String key, List<String> dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(key + " must be a list of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String) && !(o instanceof Number) && !(o instanceof Boolean)) {
                throw new IllegalArgumentException(key + " must be a list of strings, got element " + o);
            }
            out.add(o.toString());
        }
        return List.copyOf(out);
    }

    List<Integer> integers(String key, List<Integer> dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        List<?> l = v instanceof List<?> list ? list : List.of(v);
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                out.add(n.intValue());
            } else if (o instanceof String s && s.trim().matches("-?\\d{1,9}")) {
                out.add(Integer.parseInt(s.trim()));
            } else {
                throw new IllegalArgumentException(key + " must be a list of integers, got element " + o);
            }
        }
        return List.copyOf(out);
    }

    /** A map of string to string (numbers and booleans are converted to text). */
    Map<String, String> stringMap(String key) {
        Object v = map.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(key + " must be a map, got " + v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object val = e.getValue();
            if (!(val instanceof String) && !(val instanceof Number) && !(val instanceof Boolean)) {
                throw new IllegalArgumentException(key + "." + e.getKey() + " must be a string, got " + val);
            }
            out.put(String.valueOf(e.getKey()), val.toString());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A nested map kept as parsed (for chef's JSON attributes). */
    Map<String, Object> tree(String key) {
        Object v = map.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(key + " must be a map, got " + v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return java.util.Collections.unmodifiableMap(out);
    }
}
