package dev.rumor.cluster.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Test vectors written like the annotated dumps in wire-protocol.md: hex byte groups, with
 * {@code "text"} standing for the ASCII bytes of a string.
 */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c) || c == '|') {
                i++;
            } else if (c == '"') {
                int end = spec.indexOf('"', i + 1);
                out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
                i = end + 1;
            } else {
                int end = i;
                while (end < spec.length() && Character.digit(spec.charAt(end), 16) >= 0) {
                    end++;
                }
                if (end == i || (end - i) % 2 != 0) {
                    throw new IllegalArgumentException("bad hex at " + i + ": " + spec);
                }
                out.writeBytes(HexFormat.of().parseHex(spec.substring(i, end)));
                i = end;
            }
        }
        return out.toByteArray();
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
