package dev.rumor.plugin;

import java.util.Map;
import java.util.Objects;

/**
 * A cluster member as handlers see it. Immutable.
 *
 * @param name    node name, unique in the cluster
 * @param address IP address as text (e.g. "127.0.0.1")
 * @param port    gossip port
 * @param tags    the member's tags (unmodifiable; empty when none)
 * @param status  status at the time of the event
 */
public record Member(String name, String address, int port, Map<String, String> tags, MemberStatus status) {
    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        Objects.requireNonNull(status, "status");
    }

    /** Value of tag {@code key}, or null. */
    public String tag(String key) {
        return tags.get(key);
    }
}
