package dev.rumor.membership;

import java.time.Duration;
import java.util.List;

/**
 * Periodic dissemination (memberlist {@code gossip}): every gossip interval, up to
 * {@code gossipNodes} random peers that are alive, suspect, or dead for less than
 * GossipToTheDeadTime (so a wrongly declared node hears about it and refutes) each get one packet
 * filled with queued broadcasts, fewest-transmitted first. Gossip packets carry a CRC for peers that
 * understand it (pmax ≥ 5).
 *
 * <p>Thread contract: protocol thread only.
 */
final class Gossiper {
    private final MembershipConfig config;
    private final MembershipState state;
    private final Messenger messenger;

    Gossiper(MembershipConfig config, MembershipState state, Messenger messenger) {
        this.config = config;
        this.state = state;
        this.messenger = messenger;
    }

    void tick() {
        Duration deadTime = config.gossipToTheDeadTime();
        List<NodeState> targets = state.randomNodes(config.gossipNodes(), n -> {
            if (n.name.equals(state.localName())) {
                return true;
            }
            return switch (n.status()) {
                case ALIVE, SUSPECT -> false;
                case DEAD -> state.sinceChange(n).compareTo(deadTime) > 0;
                default -> true;
            };
        });
        int budget = messenger.gossipBudget();
        for (NodeState n : targets) {
            List<byte[]> msgs = messenger.getBroadcasts(Messenger.COMPOUND_OVERHEAD, budget);
            if (msgs.isEmpty()) {
                return;
            }
            messenger.sendRaw(Node.socketAddress(n.addr(), n.port()), msgs, n.pmax() >= 5);
        }
    }
}
