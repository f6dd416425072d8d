package dev.rumor.agent;

import dev.rumor.cluster.ClusterEvent;
import dev.rumor.cluster.ClusterEvent.MemberEvent;
import dev.rumor.cluster.ClusterEvent.Type;
import dev.rumor.cluster.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * serf/coalesce_member.go: per member only its latest event type is kept; at flush a member whose last
 * emitted type is the same is skipped (except member-update), and one event per type carries all members
 * of that type, so a handler may see several members on stdin.
 */
final class MemberEventCoalescer extends Coalescer {
    private final Map<String, Type> lastEmitted = new HashMap<>();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private record Pending(Type type, Member member) {
    }

    MemberEventCoalescer(ScheduledExecutorService exec, Duration coalesce, Duration quiescent) {
        super(exec, coalesce, quiescent);
    }

    @Override
    boolean handles(ClusterEvent e) {
        return e instanceof MemberEvent;
    }

    @Override
    void coalesce(ClusterEvent e) {
        MemberEvent me = (MemberEvent) e;
        for (Member m : me.members()) {
            pending.put(m.name(), new Pending(me.type(), m));
        }
    }

    @Override
    void flush(Consumer<ClusterEvent> out) {
        Map<Type, List<Member>> byType = new EnumMap<>(Type.class);
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            Type previous = lastEmitted.get(e.getKey());
            if (previous == p.type() && p.type() != Type.MEMBER_UPDATE) {
                continue;
            }
            lastEmitted.put(e.getKey(), p.type());
            byType.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(p.member());
        }
        pending.clear();
        byType.forEach((type, members) -> out.accept(new MemberEvent(type, members)));
    }
}
