package dev.rumor.cluster;

import static dev.rumor.cluster.wire.Hex.bytes;
import static dev.rumor.cluster.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagsTest {

    @Test
    void encodesLikeTheRealAgentWithSortedKeys() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", "web");
        tags.put("dc", "east");
        // §2.7: Meta = ff + {"dc":"east","role":"web"}
        assertEquals("ff82a26463a465617374a4726f6c65a3776562", hex(Tags.encode(tags)));
        assertEquals("ff81a4726f6c65a26462", hex(Tags.encode(Map.of("role", "db"))));
        assertEquals("ff80", hex(Tags.encode(Map.of())));
    }

    @Test
    void decodesMsgpackTagsInAnyOrder() {
        assertEquals(Map.of("dc", "east", "role", "web"),
                Tags.decode(bytes("ff 82 a4\"role\" a3\"web\" a2\"dc\" a4\"east\"")));
        assertEquals(Map.of(), Tags.decode(bytes("ff 80")));
        assertEquals(Map.of("k", "v"), Tags.decode(bytes("ff 81 d9 01 \"k\" c4 01 \"v\"")), "modern str8/bin accepted");
    }

    @Test
    void legacyRoleMetadata() {
        assertEquals(Map.of("role", "web"), Tags.decode(bytes("\"web\"")));
        assertEquals(Map.of("role", ""), Tags.decode(new byte[0]));
        assertEquals(Map.of("role", ""), Tags.decode(null));
        assertEquals("776562", hex(Tags.encodeLegacy(Map.of("role", "web", "dc", "x"))));
    }

    @Test
    void malformedMetadataNeverThrows() {
        assertEquals(Map.of("a", "b"), Tags.decode(bytes("ff 82 a1\"a\" a1\"b\" a1\"c\"")), "entries before the error");
        assertEquals(Map.of(), Tags.decode(bytes("ff 92 01 02")));
        assertEquals(Map.of(), Tags.decode(bytes("ff")));
    }

    @Test
    void enforcesTheMetadataLimitWithSerfsMessage() {
        Map<String, String> tags = new HashMap<>();
        tags.put("big", "x".repeat(512 - 1 - 1 - 4 - 3));  // ff + 81 + a3"big" + da xxxx + value
        assertEquals(512, Tags.encode(tags).length);
        tags.put("big", "x".repeat(512 - 1 - 1 - 4 - 3 + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tags.encode(tags));
        assertEquals("Encoded length of tags exceeds limit of 512 bytes", e.getMessage());
    }
}
