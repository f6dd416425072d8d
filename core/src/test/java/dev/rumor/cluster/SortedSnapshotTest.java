package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SortedSnapshotTest {

    @Test
    void behavesLikeATreeMapUnderRandomUpdates() {
        Random r = new Random(7);
        TreeMap<String, Integer> expected = new TreeMap<>();
        SortedSnapshot<Integer> actual = SortedSnapshot.empty();
        for (int i = 0; i < 20_000; i++) {
            String key = "node-" + r.nextInt(600);
            if (r.nextInt(3) == 0) {
                expected.remove(key);
                actual = actual.without(key);
            } else {
                expected.put(key, i);
                actual = actual.with(key, i);
            }
            assertEquals(expected.size(), actual.size());
            assertEquals(expected.get(key), actual.get(key));
            if (i % 500 == 0) {
                assertSameContentAndOrder(expected, actual);
            }
            // AVL: height <= 1.44 log2(n + 2)
            assertTrue(actual.height() <= 1.45 * (Math.log(actual.size() + 2) / Math.log(2)),
                    "height " + actual.height() + " for " + actual.size());
        }
        assertSameContentAndOrder(expected, actual);
        assertNull(actual.get(42));
        assertFalse(actual.containsKey("absent"));
    }

    @Test
    void olderVersionsAreUnchanged() {
        SortedSnapshot<String> v1 = SortedSnapshot.<String>empty().with("b", "1").with("a", "1").with("c", "1");
        SortedSnapshot<String> v2 = v1.with("b", "2").without("a").with("d", "2");
        assertEquals(Map.of("a", "1", "b", "1", "c", "1"), v1);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(v1.keySet()));
        assertEquals(Map.of("b", "2", "c", "1", "d", "2"), v2);
        assertEquals(List.of("2", "1", "2"), new ArrayList<>(v2.values()));
        assertSame(v2, v2.without("zz"));
        assertEquals(v1.hashCode(), new TreeMap<>(v1).hashCode());
        assertEquals(0, SortedSnapshot.empty().size());
        assertFalse(SortedSnapshot.empty().entrySet().iterator().hasNext());
    }

    @Test
    void isReadOnlyThroughTheMapInterface() {
        SortedSnapshot<String> m = SortedSnapshot.<String>empty().with("a", "1");
        assertThrows(UnsupportedOperationException.class, () -> m.put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue("x"));
        assertThrows(UnsupportedOperationException.class, () -> {
            var it = m.values().iterator();
            it.next();
            it.remove();
        });
        assertEquals(Map.of("a", "1"), m);
    }

    private static <V> void assertSameContentAndOrder(TreeMap<String, V> expected, SortedSnapshot<V> actual) {
        assertEquals(expected, actual);
        assertEquals(actual, expected);
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(actual.entrySet()));
        assertEquals(expected.hashCode(), actual.hashCode());
    }
}
