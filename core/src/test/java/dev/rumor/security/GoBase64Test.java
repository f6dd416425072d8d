package dev.rumor.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Go's StdEncoding rules and error offsets (encoding/base64 decodeQuantum). */
class GoBase64Test {

    private static String error(String in) {
        return assertThrows(IllegalArgumentException.class, () -> GoBase64.decode(in)).getMessage();
    }

    @Test
    void decodesWhatJavaEncodes() {
        for (String s : new String[] {"", "a", "ab", "abc", "abcd", "hello world, a longer text"}) {
            byte[] raw = s.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(raw, GoBase64.decode(Base64.getEncoder().encodeToString(raw)), s);
        }
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 37);
        }
        assertArrayEquals(key, GoBase64.decode(Base64.getEncoder().encodeToString(key)));
    }

    @Test
    void skipsNewlines() {
        assertArrayEquals("abcd".getBytes(StandardCharsets.UTF_8), GoBase64.decode("YWJj\nZA=\r\n="));
    }

    @Test
    void errorsNameGosOffsets() {
        assertEquals("illegal base64 data at input byte 0", error("abc")); // serf keys -install abc
        assertEquals("illegal base64 data at input byte 0", error("YQ"));
        assertEquals("illegal base64 data at input byte 3", error("YQ="));
        assertEquals("illegal base64 data at input byte 4", error("YQ==YQ=="));
        assertEquals("illegal base64 data at input byte 0", error("!!!!"));
        assertEquals("illegal base64 data at input byte 5", error("YWJjZ!=="));
        assertEquals("illegal base64 data at input byte 1", error("Y==="));
        assertEquals("illegal base64 data at input byte 2", error("YQ=a"));
    }
}
