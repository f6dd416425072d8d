package dev.rumor.cluster;

import java.util.Arrays;
import java.util.List;

/**
 * What the serf layer tells the agent (serf {@code Event}): membership changes, user events and
 * queries. The {@link Type#wireName()}s are the names used by event handlers, the RPC stream and the CLI.
 *
 * <p>Events are emitted on the protocol thread into the sink given to {@link Cluster#create}; the sink
 * must not block (hand off to the agent's pipeline).
 */
public sealed interface ClusterEvent {

    Type type();

    enum Type {
        MEMBER_JOIN("member-join"),
        MEMBER_LEAVE("member-leave"),
        MEMBER_FAILED("member-failed"),
        MEMBER_UPDATE("member-update"),
        MEMBER_REAP("member-reap"),
        USER("user"),
        QUERY("query");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One membership change; serf emits one member per event, the agent's coalescer may merge them. */
    record MemberEvent(Type type, List<Member> members) implements ClusterEvent {
        public MemberEvent {
            members = List.copyOf(members);
        }
    }

    /** A user event, delivered once per node. {@code coalesce} is the sender's "can coalesce" flag. */
    record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements ClusterEvent {
        @Override
        public Type type() {
            return Type.USER;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserEvent u && u.ltime == ltime && u.name.equals(name)
                    && Arrays.equals(u.payload, payload) && u.coalesce == coalesce;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(ltime) * 31 + name.hashCode();
        }
    }

    /** A query this node should answer through {@link IncomingQuery#respond}. */
    record QueryEvent(IncomingQuery query) implements ClusterEvent {
        @Override
        public Type type() {
            return Type.QUERY;
        }
    }
}
