package dev.rumor.membership;

import java.util.List;

/**
 * May veto merging a peer's state during a join (not during periodic anti-entropy), e.g. to refuse a
 * cluster with a different name.
 *
 * <p>Thread contract: protocol thread; must not block.
 */
@FunctionalInterface
public interface MergeDelegate {
    /** @return null to merge, or the reason for refusing */
    String notifyMerge(List<Node> peers);
}
