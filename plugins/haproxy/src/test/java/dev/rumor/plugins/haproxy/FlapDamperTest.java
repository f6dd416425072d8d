package dev.rumor.plugins.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FlapDamperTest {
    private static final long S = 1_000_000_000L;

    private static Map<String, SortedMap<String, ServerSpec>> want(String... names) {
        SortedMap<String, ServerSpec> m = new TreeMap<>();
        for (String n : names) {
            m.put(n, new ServerSpec(n, n, "10.0.0.1", 80, ""));
        }
        return Map.of("web", m);
    }

    private static Set<String> names(FlapDamper.Result r) {
        return r.servers().get("web").keySet();
    }

    @Test
    void firstChangeIsImmediateFlapsAreHeldDown() {
        FlapDamper d = new FlapDamper(Duration.ofSeconds(10));
        assertEquals(Set.of("a", "b"), names(d.apply(want("a", "b"), 0)));      // baseline
        FlapDamper.Result r = d.apply(want("a"), 1 * S);                        // b fails: out at once
        assertEquals(Set.of("a"), names(r));
        assertNull(r.nextChangeAt());
        r = d.apply(want("a", "b"), 2 * S);                                     // b back within hold-down
        assertEquals(Set.of("a"), names(r));
        assertEquals(11 * S, r.nextChangeAt());
        r = d.apply(want("a"), 3 * S);                                          // flaps again: nothing to do
        assertEquals(Set.of("a"), names(r));
        assertNull(r.nextChangeAt());
        r = d.apply(want("a", "b"), 5 * S);
        assertEquals(Set.of("a"), names(r));
        r = d.apply(want("a", "b"), 11 * S);                                    // stable long enough
        assertEquals(Set.of("a", "b"), names(r));
        r = d.apply(want("a"), 12 * S);                                         // and held down again
        assertEquals(Set.of("a", "b"), names(r));
        assertEquals(21 * S, r.nextChangeAt());
    }

    @Test
    void zeroHoldDownFollowsImmediately() {
        FlapDamper d = new FlapDamper(Duration.ZERO);
        d.apply(want("a"), 0);
        assertEquals(Set.of(), names(d.apply(want(), 1)));
        assertEquals(Set.of("a"), names(d.apply(want("a"), 2)));
    }
}
