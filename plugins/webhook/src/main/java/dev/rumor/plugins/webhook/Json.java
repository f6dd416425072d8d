package dev.rumor.plugins.webhook;

import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal JSON writer. Plugins cannot use the host's Jackson (it is not exported to plugins and a
 * bundled copy would defeat the thin-jar rule), and the documents we send are small and fixed in shape,
 * so a hand-written writer is enough. Not thread-safe: one instance per document.
 *
 * <p>Every method writes the separating comma itself; the writer does not check that the caller nests
 * objects and arrays correctly.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    Json beginObject() {
        separate();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes {@code "name":} and leaves the writer ready for the value. */
    Json name(String name) {
        separate();
        quote(out, name);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(out, s);
        }
        needComma = true;
        return this;
    }

    Json value(long n) {
        separate();
        out.append(n);
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        separate();
        out.append(b);
        needComma = true;
        return this;
    }

    Json field(String name, String value) {
        return name(name).value(value);
    }

    Json field(String name, long value) {
        return name(name).value(value);
    }

    Json field(String name, boolean value) {
        return name(name).value(value);
    }

    /** An object of string values, keys sorted so equal maps give equal bytes. */
    Json field(String name, Map<String, String> map) {
        name(name).beginObject();
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            field(e.getKey(), e.getValue());
        }
        return endObject();
    }

    private void separate() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Appends {@code s} as a JSON string literal (RFC 8259 section 7). Escapes the quote, the backslash and
     * every control character; also U+2028/U+2029 (legal JSON, but they break JavaScript embedding) and
     * unpaired surrogates, which UTF-8 cannot encode and which would otherwise turn into '?' on the wire.
     */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(out, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int k = hex.length(); k < 4; k++) {
            out.append('0');
        }
        out.append(hex);
    }
}
