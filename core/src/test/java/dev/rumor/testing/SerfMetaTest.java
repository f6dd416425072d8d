package dev.rumor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerfMetaTest {
    @Test
    void matchesTheDocumentedBytes() {
        // wire-protocol §7.2: ff 82 a2"dc" a4"east" a4"role" a3"web"
        assertArrayEquals(HexFormat.of().parseHex("ff82a26463a465617374a4726f6c65a3776562"),
                SerfMeta.encode(Map.of("role", "web", "dc", "east")));
        assertArrayEquals(HexFormat.of().parseHex("ff80"), SerfMeta.encode(Map.of()));
    }

    @Test
    void longValuesUseRaw16NotStr8() {
        String v = "x".repeat(40);
        byte[] meta = SerfMeta.encode(Map.of("k", v));
        assertEquals((byte) 0xda, meta[4]);
        assertEquals(Map.of("k", v), SerfMeta.decode(meta));
    }

    @Test
    void legacyMetaIsTheRole() {
        assertEquals(Map.of("role", "db"), SerfMeta.decode("db".getBytes()));
        assertEquals(Map.of("role", ""), SerfMeta.decode(new byte[0]));
    }
}
