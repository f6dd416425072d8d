package dev.rumor.cluster;

import static dev.rumor.cluster.wire.Hex.bytes;
import static dev.rumor.cluster.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.msgpack.MsgpackException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryFilterTest {

    @Test
    void encodingsMatchTheRealAgent() throws MsgpackException {
        byte[] node = bytes("00 91 a5\"gamma\"");
        byte[] tag = bytes("01 82 a4\"Expr\" a6\"cach.*\" a3\"Tag\" a4\"role\"");
        assertEquals(hex(node), hex(new QueryFilter.Nodes(List.of("gamma")).encode()));
        assertEquals(hex(tag), hex(new QueryFilter.Tag("role", "cach.*").encode()));
        assertEquals(new QueryFilter.Nodes(List.of("gamma")), QueryFilter.decode(node));
        assertEquals(new QueryFilter.Tag("role", "cach.*"), QueryFilter.decode(tag));
    }

    @Test
    void tagRegexpsAreUnanchoredAndMissingTagsAreEmpty() {
        QueryFilter.Tag f = new QueryFilter.Tag("role", "cach");
        assertTrue(f.matches("n", Map.of("role", "memcache")), "unanchored");
        assertFalse(f.matches("n", Map.of("role", "web")));
        assertFalse(f.matches("n", Map.of()));
        assertTrue(new QueryFilter.Tag("role", "^$").matches("n", Map.of()), "missing tag = empty string");
        assertFalse(new QueryFilter.Tag("role", "(").matches("n", Map.of("role", "(")), "bad regexp = no");
    }

    @Test
    void shouldProcessRequiresEveryFilter() {
        Map<String, String> tags = Map.of("role", "db", "dc", "east");
        List<byte[]> both = List.of(new QueryFilter.Nodes(List.of("a", "b")).encode(),
                new QueryFilter.Tag("dc", "^ea").encode());
        assertTrue(QueryFilter.shouldProcess(null, "a", tags));
        assertTrue(QueryFilter.shouldProcess(List.of(), "a", tags));
        assertTrue(QueryFilter.shouldProcess(both, "b", tags));
        assertFalse(QueryFilter.shouldProcess(both, "c", tags));
        assertFalse(QueryFilter.shouldProcess(both, "a", Map.of("dc", "west")));
        assertFalse(QueryFilter.shouldProcess(List.of(bytes("02 80")), "a", tags), "unknown filter type");
        assertFalse(QueryFilter.shouldProcess(List.of(new byte[0]), "a", tags), "empty filter");
        assertFalse(QueryFilter.shouldProcess(List.of(bytes("00 92 a1\"a\"")), "a", tags), "truncated");
        assertThrows(MsgpackException.class, () -> QueryFilter.decode(bytes("07")));
    }

    @Test
    void paramsBuildFiltersInSerfOrder() {
        Map<String, String> tagFilters = new LinkedHashMap<>();
        tagFilters.put("role", "web");
        tagFilters.put("dc", "east");
        QueryParams p = QueryParams.defaults().withFilterTags(tagFilters).withFilterNodes(List.of("x"));
        assertEquals(List.of(new QueryFilter.Nodes(List.of("x")), new QueryFilter.Tag("role", "web"),
                new QueryFilter.Tag("dc", "east")), p.filters());
        assertEquals(3, p.encodedFilters().size());
        assertNull(QueryParams.defaults().encodedFilters(), "no filters = nil on the wire");
        assertTrue(p.matches("x", Map.of("role", "webserver", "dc", "us-east")));
        assertFalse(p.matches("y", Map.of("role", "web", "dc", "east")));
        assertNull(QueryParams.defaults().timeout());
        assertEquals(Duration.ofSeconds(1), QueryParams.defaults().withTimeout(Duration.ofSeconds(1)).timeout());
        assertThrows(IllegalArgumentException.class, () -> QueryParams.defaults().withRelayFactor(256));
    }
}
