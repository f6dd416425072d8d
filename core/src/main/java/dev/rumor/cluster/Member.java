package dev.rumor.cluster;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An immutable snapshot of one member as the serf layer sees it (serf {@code Member}): memberlist's
 * address and versions plus decoded tags and the serf status. The agent maps it to the plugin API's
 * {@code Member} at its boundary.
 *
 * @param addr the member's IP, 4 or 16 bytes; do not modify
 */
public record Member(String name, byte[] addr, int port, Map<String, String> tags, MemberStatus status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    public Member {
        tags = Map.copyOf(tags);
    }

    public InetSocketAddress address() {
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(addr), port);
        } catch (java.net.UnknownHostException e) {
            return InetSocketAddress.createUnresolved("invalid", port);
        }
    }

    Member withStatus(MemberStatus s) {
        return new Member(name, addr, port, tags, s, protocolMin, protocolMax, protocolCur, delegateMin, delegateMax,
                delegateCur);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && m.name.equals(name) && java.util.Arrays.equals(m.addr, addr) && m.port == port
                && m.tags.equals(tags) && m.status == status && m.protocolMin == protocolMin
                && m.protocolMax == protocolMax && m.protocolCur == protocolCur && m.delegateMin == delegateMin
                && m.delegateMax == delegateMax && m.delegateCur == delegateCur;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + status.hashCode();
    }

    @Override
    public String toString() {
        return "Member[" + name + " " + address() + " " + status + " " + tags + "]";
    }
}
