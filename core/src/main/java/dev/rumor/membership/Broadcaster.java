package dev.rumor.membership;

import dev.rumor.membership.wire.Message;

/**
 * Where {@link MembershipState} hands messages it wants gossiped. The production implementation encodes
 * them into the {@link TransmitLimitedQueue}; state-machine tests record them.
 *
 * <p>Thread contract: protocol thread.
 */
@FunctionalInterface
interface Broadcaster {
    /**
     * @param node     the node the message is about; it replaces the queued broadcasts about that node
     *                 (a suspect only those without accuser and its own accuser's, see
     *                 {@link TransmitLimitedQueue})
     * @param finished run once the broadcast was fully transmitted or replaced; may be null
     */
    void broadcast(String node, Message msg, Runnable finished);
}
