package dev.rumor.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard base64 decoding exactly as Go's {@code base64.StdEncoding.DecodeString} does it, which is what
 * serf applies to keys ({@code serf keys -install}, {@code -encrypt}). Java's decoder differs: it accepts
 * missing padding ({@code "abc"}) and words its errors differently, so a key serf refuses up front
 * ("illegal base64 data at input byte 0") would otherwise be broadcast to the cluster and refused by every
 * node instead. Newlines are skipped, padding is required, trailing data after the padding is an error; the
 * error names the same input offset Go's {@code CorruptInputError} does.
 *
 * <p>Stateless; safe from any thread.
 */
public final class GoBase64 {
    private static final int[] DECODE = new int[256];

    static {
        java.util.Arrays.fill(DECODE, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = i;
        }
    }

    private GoBase64() {
    }

    /** @throws IllegalArgumentException "illegal base64 data at input byte N", as Go reports it */
    public static byte[] decode(String text) {
        byte[] src = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4);
        int si = 0;
        while (true) {
            int[] dbuf = new int[4];
            int dlen = 4;
            boolean end = false;
            for (int j = 0; j < 4; j++) {
                if (si == src.length) {
                    if (j == 0) {
                        return out.toByteArray();
                    }
                    throw corrupt(si - j); // StdEncoding requires padding
                }
                int in = src[si] & 0xff;
                si++;
                if (DECODE[in] >= 0) {
                    dbuf[j] = DECODE[in];
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    j--;
                    continue;
                }
                if (in != '=' || j < 2) {
                    throw corrupt(si - 1);
                }
                if (j == 2) {
                    si = skipNewlines(src, si);
                    if (si == src.length) {
                        throw corrupt(src.length); // not enough padding
                    }
                    if (src[si] != '=') {
                        throw corrupt(si - 1);
                    }
                    si++;
                }
                si = skipNewlines(src, si);
                if (si < src.length) {
                    throw corrupt(si); // data after the padding
                }
                dlen = j;
                end = true;
                break;
            }
            int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
            out.write(val >> 16);
            if (dlen >= 3) {
                out.write(val >> 8);
            }
            if (dlen == 4) {
                out.write(val);
            }
            if (end) {
                return out.toByteArray();
            }
        }
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
        }
        return si;
    }

    private static IllegalArgumentException corrupt(int offset) {
        return new IllegalArgumentException("illegal base64 data at input byte " + offset);
    }
}
