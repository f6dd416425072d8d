package dev.rumor.agent;

import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.ClusterEvent.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * serf/coalesce_user.go: only user events sent with coalescing allowed; per event name only the events
 * with the highest LTime seen in the window are emitted (all of them if several share it). Other user
 * events and queries pass straight through.
 */
final class UserEventCoalescer extends Coalescer {
    private final Map<String, List<UserEvent>> latest = new LinkedHashMap<>();

    UserEventCoalescer(ScheduledExecutorService exec, Duration coalesce, Duration quiescent) {
        super(exec, coalesce, quiescent);
    }

    @Override
    boolean handles(ClusterEvent e) {
        return e instanceof UserEvent u && u.coalesce();
    }

    @Override
    void coalesce(ClusterEvent e) {
        UserEvent u = (UserEvent) e;
        List<UserEvent> cur = latest.get(u.name());
        if (cur == null || cur.get(0).ltime() < u.ltime()) {
            List<UserEvent> l = new ArrayList<>();
            l.add(u);
            latest.put(u.name(), l);
        } else if (cur.get(0).ltime() == u.ltime()) {
            cur.add(u);
        }
    }

    @Override
    void flush(Consumer<ClusterEvent> out) {
        for (List<UserEvent> events : latest.values()) {
            events.forEach(out);
        }
        latest.clear();
    }
}
