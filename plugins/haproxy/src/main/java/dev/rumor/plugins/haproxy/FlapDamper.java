package dev.rumor.plugins.haproxy;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Flap damping: once a server has been added, removed or changed, it is not changed again until
 * {@code holdDown} has passed; the wanted change is applied then, if it still stands. The first change is
 * always immediate, so a failure takes a server out at once, but a member flapping between alive and failed
 * is not added and removed on every flap. The set wanted at start-up is the baseline, not a change.
 *
 * <p>Time is passed in (monotonic nanos) so tests need no sleeping. Thread contract: one thread.
 */
final class FlapDamper {

    /**
     * @param servers      what to converge to now
     * @param nextChangeAt monotonic nanos at which a deferred change becomes allowed, or null if none waits
     */
    record Result(Map<String, SortedMap<String, ServerSpec>> servers, Long nextChangeAt) {
    }

    private final long holdDownNanos;
    private final Map<String, Long> lastChange = new HashMap<>();
    private Map<String, SortedMap<String, ServerSpec>> effective;

    FlapDamper(Duration holdDown) {
        this.holdDownNanos = holdDown.toNanos();
    }

    Result apply(Map<String, SortedMap<String, ServerSpec>> wanted, long now) {
        if (effective == null || holdDownNanos == 0) {
            effective = copy(wanted);
            return new Result(effective, null);
        }
        Map<String, SortedMap<String, ServerSpec>> next = new LinkedHashMap<>();
        Long deferredUntil = null;
        for (Map.Entry<String, SortedMap<String, ServerSpec>> e : wanted.entrySet()) {
            String backend = e.getKey();
            SortedMap<String, ServerSpec> want = e.getValue();
            SortedMap<String, ServerSpec> had = effective.getOrDefault(backend, new TreeMap<>());
            SortedMap<String, ServerSpec> out = new TreeMap<>();
            TreeSet<String> names = new TreeSet<>(want.keySet());
            names.addAll(had.keySet());
            for (String name : names) {
                ServerSpec w = want.get(name);
                ServerSpec h = had.get(name);
                ServerSpec chosen = w;
                if (!Objects.equals(w, h)) {
                    String key = backend + "/" + name;
                    Long last = lastChange.get(key);
                    if (last == null || now - last >= holdDownNanos) {
                        lastChange.put(key, now);
                    } else {
                        chosen = h;
                        long at = last + holdDownNanos;
                        deferredUntil = deferredUntil == null || at - deferredUntil < 0 ? at : deferredUntil;
                    }
                }
                if (chosen != null) {
                    out.put(name, chosen);
                }
            }
            next.put(backend, out);
        }
        effective = next;
        lastChange.values().removeIf(t -> now - t >= holdDownNanos);
        return new Result(copy(effective), deferredUntil);
    }

    private static Map<String, SortedMap<String, ServerSpec>> copy(Map<String, SortedMap<String, ServerSpec>> m) {
        Map<String, SortedMap<String, ServerSpec>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }
}
