package dev.rumor.transport;

/**
 * A custom fault on the {@link InMemoryNetwork}: decides per message whether the link from one node to
 * another drops it. Node names are the names the transports were created with.
 *
 * <p>Thread contract: called on the network's scheduler thread.
 */
@FunctionalInterface
public interface LinkFilter {
    enum Kind { PACKET, STREAM }

    /** @return true to drop the message (a dropped stream looks like a connection that times out) */
    boolean drop(String from, String to, Kind kind);
}
