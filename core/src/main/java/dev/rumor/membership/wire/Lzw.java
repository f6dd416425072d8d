package dev.rumor.membership.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * LZW exactly as Go's {@code compress/lzw} with {@code LSB} order and literal width 8, the only algorithm
 * memberlist's compress message uses (wire-protocol.md §2.6). The encoder reproduces Go's output bit for
 * bit (CLEAR first, greedy longest match, width growth when the next code reaches {@code 1 << width},
 * CLEAR and table reset when code 4095 would be assigned, EOF last), so compressed sizes and CRCs match
 * the real binary. The decoder accepts any conforming stream, handles the KwKwK case and, like Go,
 * rejects a stream that ends without EOF.
 *
 * <p>Stateless and thread-safe.
 */
public final class Lzw {

    private static final int CLEAR = 256;
    private static final int EOF = 257;
    private static final int MAX_WIDTH = 12;
    private static final int MAX_CODE = (1 << MAX_WIDTH) - 1;
    private static final int TABLE_SIZE = 4 << MAX_WIDTH;

    private Lzw() {
    }

    public static byte[] compress(byte[] in) {
        BitWriter out = new BitWriter(in.length / 2 + 16);
        int width = 9;
        int hi = EOF;
        int overflow = 1 << width;
        // open-addressed map (prefix code << 8 | byte) -> code, packed as key << 12 | code; 0 = empty.
        // At most one entry per input byte (and never more than 4094 before a reset), so a table sized to
        // four times that keeps the load under 25% without allocating 64 KiB for every small packet.
        int tableSize = Math.min(TABLE_SIZE, Integer.highestOneBit(Math.max(16, Math.min(in.length, MAX_CODE)) * 4 - 1) << 1);
        int mask = tableSize - 1;
        int[] table = new int[tableSize];
        out.write(CLEAR, width);
        if (in.length == 0) {
            out.write(EOF, width);
            return out.finish();
        }
        int code = in[0] & 0xff;
        outer:
        for (int i = 1; i < in.length; i++) {
            int literal = in[i] & 0xff;
            int key = code << 8 | literal;
            int hash = (key >>> 12 ^ key) & mask;
            for (int h = hash, t = table[hash]; t != 0; ) {
                if (key == t >>> 12) {
                    code = t & MAX_CODE;
                    continue outer;
                }
                h = (h + 1) & mask;
                t = table[h];
            }
            out.write(code, width);
            code = literal;
            hi++;
            if (hi == overflow) {
                width++;
                overflow <<= 1;
            }
            if (hi == MAX_CODE) {
                out.write(CLEAR, width);
                width = 9;
                hi = EOF;
                overflow = 1 << width;
                Arrays.fill(table, 0);
                continue;
            }
            while (table[hash] != 0) {
                hash = (hash + 1) & mask;
            }
            table[hash] = key << 12 | hi;
        }
        out.write(code, width);
        hi++;
        if (hi == overflow) {
            width++;
            overflow <<= 1;
        }
        if (hi == MAX_CODE) {
            out.write(CLEAR, width);
            width = 9;
        }
        out.write(EOF, width);
        return out.finish();
    }

    /**
     * @param maxOutput the most bytes the caller accepts; LZW expands up to ~2700x, so this bounds what a
     *                  small hostile packet can make us allocate
     */
    public static byte[] decompress(byte[] in, int maxOutput) throws CodecException {
        return decompress(in, 0, in.length, maxOutput);
    }

    public static byte[] decompress(byte[] in, int offset, int length, int maxOutput) throws CodecException {
        return decompress(in, offset, length, maxOutput, new int[1]);
    }

    /** How many CLEAR codes a stream contains (the leading one included); lets tests prove a table reset happened. */
    static int clearCodes(byte[] in, int maxOutput) throws CodecException {
        int[] clears = new int[1];
        decompress(in, 0, in.length, maxOutput, clears);
        return clears[0];
    }

    private static byte[] decompress(byte[] in, int offset, int length, int maxOutput, int[] clears)
            throws CodecException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxOutput, Math.max(64, length * 3)));
        int[] prefix = new int[1 << MAX_WIDTH];
        byte[] suffix = new byte[1 << MAX_WIDTH];
        byte[] stack = new byte[1 << MAX_WIDTH];
        int width = 9;
        int hi = EOF;
        int overflow = 1 << width;
        int last = -1;
        long bits = 0;
        int nBits = 0;
        int pos = offset;
        int end = offset + length;
        while (true) {
            while (nBits < width) {
                if (pos >= end) {
                    throw new CodecException("lzw: unexpected EOF");
                }
                bits |= (long) (in[pos++] & 0xff) << nBits;
                nBits += 8;
            }
            int code = (int) (bits & ((1 << width) - 1));
            bits >>>= width;
            nBits -= width;
            if (code < CLEAR) {
                if (out.size() >= maxOutput) {
                    throw tooLarge(maxOutput);
                }
                out.write(code);
                if (last != -1) {
                    suffix[hi] = (byte) code;
                    prefix[hi] = last;
                }
            } else if (code == CLEAR) {
                clears[0]++;
                width = 9;
                hi = EOF;
                overflow = 1 << width;
                last = -1;
                continue;
            } else if (code == EOF) {
                return out.toByteArray();
            } else if (code <= hi) {
                int i = stack.length;
                int c = code;
                if (code == hi) {
                    if (last == -1) {
                        throw new CodecException("lzw: invalid code");
                    }
                    // KwKwK: the expansion of last followed by its own first byte
                    c = last;
                    while (c >= CLEAR) {
                        c = prefix[c];
                    }
                    stack[--i] = (byte) c;
                    c = last;
                }
                while (c >= CLEAR) {
                    if (i == 0) {
                        throw new CodecException("lzw: invalid code chain");
                    }
                    stack[--i] = suffix[c];
                    c = prefix[c];
                }
                if (i == 0) {
                    throw new CodecException("lzw: invalid code chain");
                }
                stack[--i] = (byte) c;
                int n = stack.length - i;
                if (n > maxOutput - out.size()) {
                    throw tooLarge(maxOutput);
                }
                out.write(stack, i, n);
                if (last != -1) {
                    suffix[hi] = (byte) c;
                    prefix[hi] = last;
                }
            } else {
                throw new CodecException("lzw: invalid code");
            }
            last = code;
            hi++;
            if (hi >= overflow) {
                if (width == MAX_WIDTH) {
                    // table full: no more definitions until the next CLEAR
                    last = -1;
                    hi--;
                } else {
                    width++;
                    overflow = 1 << width;
                }
            }
        }
    }

    private static CodecException tooLarge(int max) {
        return new CodecException("lzw: decompressed data exceeds " + max + " bytes");
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private long bits;
        private int nBits;

        BitWriter(int capacity) {
            out = new ByteArrayOutputStream(capacity);
        }

        void write(int code, int width) {
            bits |= (long) code << nBits;
            nBits += width;
            while (nBits >= 8) {
                out.write((int) bits);
                bits >>>= 8;
                nBits -= 8;
            }
        }

        byte[] finish() {
            if (nBits > 0) {
                out.write((int) bits);
            }
            return out.toByteArray();
        }
    }
}
