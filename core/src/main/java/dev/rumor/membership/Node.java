package dev.rumor.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An immutable snapshot of what this node believes about one member, handed to delegates and returned
 * by {@link Memberlist#members()}. It is the very object the protocol keeps (replaced, never changed, on
 * every update), and its byte arrays are shared with the protocol state, with later snapshots of the same
 * member and, through an {@link Interner}, with other nodes in the same JVM: do not modify them.
 *
 * @param addr        the member's IP (4 or 16 bytes), as carried in alive messages
 * @param meta        node metadata (serf: encoded tags), never null
 * @param vsn         [pmin, pmax, pcur, dmin, dmax, dcur]; all zero when the member did not send one
 * @param incarnation the member's own counter, only the member raises it
 */
public record Node(String name, byte[] addr, int port, byte[] meta, NodeStatus status, long incarnation, byte[] vsn) {

    public InetSocketAddress address() {
        return socketAddress(addr, port);
    }

    public int pmin() {
        return vsn[0] & 0xff;
    }

    public int pmax() {
        return vsn[1] & 0xff;
    }

    public int pcur() {
        return vsn[2] & 0xff;
    }

    public int dmin() {
        return vsn[3] & 0xff;
    }

    public int dmax() {
        return vsn[4] & 0xff;
    }

    public int dcur() {
        return vsn[5] & 0xff;
    }

    static InetSocketAddress socketAddress(byte[] addr, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            // Only thrown for an address of illegal length; callers validate lengths first.
            return InetSocketAddress.createUnresolved("invalid", port);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && name.equals(n.name) && Arrays.equals(addr, n.addr) && port == n.port
                && Arrays.equals(meta, n.meta) && status == n.status && incarnation == n.incarnation
                && Arrays.equals(vsn, n.vsn);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(incarnation);
    }

    @Override
    public String toString() {
        return "Node[" + name + " " + address() + " " + status + " inc=" + incarnation + "]";
    }
}
