package dev.rumor.plugins.chef;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" back\\slash \n tab\t \u0001 ünï");
        m.put("n", 42L);
        m.put("d", 1.5);
        m.put("b", true);
        m.put("z", null);
        m.put("l", Arrays.asList(1L, "x", null, List.of()));
        m.put("o", Map.of("k", Map.of()));
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertEquals("{\"a\":[1,2.5,\"x\"]}", Json.write(Map.of("a", List.of(1, 2.5, "x"))));
    }

    @Test
    void malformedInputIsRejected() {
        for (String bad : List.of("", "{", "{\"a\"}", "[1,]", "tru", "\"\\x\"", "{} x", "{\"a\":1,}")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
