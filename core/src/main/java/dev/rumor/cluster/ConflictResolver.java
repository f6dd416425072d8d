package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.membership.Node;
import dev.rumor.msgpack.MsgpackException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Name conflicts (serf {@code handleNodeConflict} / {@code resolveNodeConflict}, wire-protocol §7.9): when
 * someone else claims our name, ask the cluster with {@code _serf_conflict} who it believes owns the name,
 * and quit if fewer than a majority of the answers name our address.
 *
 * <p>Thread contract: protocol thread (the query completes on it too).
 */
final class ConflictResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictResolver.class);

    /** Starts the {@code _serf_conflict} query about our name. */
    interface QueryStarter {
        QueryResponses start(byte[] payload);
    }

    private final String self;
    private final boolean enabled;
    private final Supplier<Node> local;
    private final QueryStarter query;
    private final Runnable quit;
    /** One vote at a time: memberlist reports the conflict for every alive message it sees meanwhile. */
    private boolean resolving;

    ConflictResolver(String self, boolean enabled, Supplier<Node> local, QueryStarter query, Runnable quit) {
        this.self = self;
        this.enabled = enabled;
        this.local = local;
        this.query = query;
        this.quit = quit;
    }

    void conflict(Node existing, Node other) {
        if (!existing.name().equals(self)) {
            LOG.warn("Name conflict for '{}' both {} and {} are claiming", existing.name(), existing.address(),
                    other.address());
            return;
        }
        LOG.error("Node name conflicts with another node at {}. Names must be unique! (Resolution enabled: {})",
                other.address(), enabled);
        if (!enabled || resolving) {
            return;
        }
        Node me = local.get();
        QueryResponses resp;
        try {
            resp = query.start(self.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.error("Failed to start name resolution query: {}", e.getMessage());
            return;
        }
        resolving = true;
        resp.done().thenAccept(q -> {
            resolving = false;
            decide(q.responses(), me);
        });
    }

    /** @return true if we keep the name */
    boolean decide(List<NodeResponse> answers, Node me) {
        int responses = 0;
        int matching = 0;
        for (NodeResponse r : answers) {
            SerfMessage m;
            try {
                m = r.payload() == null || r.payload().length == 0 ? null : SerfCodec.decode(r.payload());
            } catch (MsgpackException e) {
                LOG.error("Failed to decode conflict query response: {}", e.getMessage());
                continue;
            }
            if (!(m instanceof SerfMessage.ConflictResponse c)) {
                LOG.error("Invalid conflict query response type");
                continue;
            }
            responses++;
            if (c.member() != null && Arrays.equals(c.member().addr(), me.addr()) && c.member().port() == me.port()) {
                matching++;
            }
        }
        int majority = responses / 2 + 1;
        if (matching >= majority) {
            LOG.info("majority in name conflict resolution [{} / {}]", matching, responses);
            return true;
        }
        LOG.warn("minority in name conflict resolution, quitting [{} / {}]", matching, responses);
        quit.run();
        return false;
    }
}
