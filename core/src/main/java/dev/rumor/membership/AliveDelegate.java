package dev.rumor.membership;

/**
 * Filters alive messages before they are applied (e.g. to keep foreign clusters out). When set, alive
 * messages without a full 6-byte version vector are ignored, as in memberlist.
 *
 * <p>Thread contract: protocol thread; must not block.
 */
@FunctionalInterface
public interface AliveDelegate {
    /** @return null to accept, or the reason for ignoring the message */
    String notifyAlive(Node node);
}
