package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesWhatJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", Json.quote("\n\r\t\b\f"));
        assertEquals("\"\\u0000\\u001f\u007f\"", Json.quote("\u0000\u001f\u007f")); // DEL needs no escape
        assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
        assertEquals("\"/<>&\"", Json.quote("/<>&"));
    }

    @Test
    void keepsSurrogatePairsAndEscapesLoneSurrogates() {
        assertEquals("\"\uD83D\uDE00\"", Json.quote("\uD83D\uDE00"));
        assertEquals("\"x\\ud83dy\\ude00\"", Json.quote("x\uD83Dy\uDE00"));
        // a lone surrogate survives UTF-8 encoding only because it is escaped
        String json = Json.quote("\uD83D");
        assertEquals(json, new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void everyCharRoundTripsThroughAStrictParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        all.append("\uD83D\uDE00 é ü \u00ff");
        String text = all.toString();
        String doc = new Json().beginObject().field("k", text).field("n", -42).field("b", true)
                .field("tags", Map.of("z", "1", "a", "q\"uote")).endObject().toString();
        Map<String, Object> parsed = MiniJson.object(doc);
        assertEquals(text, parsed.get("k"));
        assertEquals(-42L, parsed.get("n"));
        assertEquals(true, parsed.get("b"));
        assertEquals(Map.of("a", "q\"uote", "z", "1"), parsed.get("tags"));
        // keys of a map come out sorted, so equal maps give equal bytes
        assertEquals("{\"tags\":{\"a\":\"1\",\"b\":\"2\"}}",
                new Json().beginObject().field("tags", Map.of("b", "2", "a", "1")).endObject().toString());
    }

    @Test
    void nestedArraysAndObjectsGetCommasRight() {
        String doc = new Json().beginObject()
                .name("a").beginArray().beginObject().field("x", 1).endObject()
                .beginObject().endObject().endArray()
                .name("e").beginArray().endArray()
                .field("s", (String) null)
                .endObject().toString();
        assertEquals("{\"a\":[{\"x\":1},{}],\"e\":[],\"s\":null}", doc);
        MiniJson.parse(doc);
    }
}
