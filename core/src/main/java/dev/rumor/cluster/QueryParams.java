package dev.rumor.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of one query (serf {@code QueryParam}).
 *
 * @param filterNodes only these nodes answer (empty: no node filter)
 * @param filterTags  tag → regexp; only nodes matching all of them answer
 * @param requestAck  ask every node that passes the filters for a delivery ack
 * @param relayFactor each responder also relays its answer through this many other members (0-5 typical)
 * @param timeout     how long the query stays open; null or zero means the cluster default
 *                    ({@link ClusterMath#defaultQueryTimeout})
 */
public record QueryParams(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck,
                          int relayFactor, Duration timeout) {

    public QueryParams {
        filterNodes = filterNodes == null ? List.of() : List.copyOf(filterNodes);
        filterTags = filterTags == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filterTags));
        if (relayFactor < 0 || relayFactor > 255) {
            throw new IllegalArgumentException("relay factor must be 0..255");
        }
    }

    public static QueryParams defaults() {
        return new QueryParams(List.of(), Map.of(), false, 0, null);
    }

    public QueryParams withFilterNodes(List<String> nodes) {
        return new QueryParams(nodes, filterTags, requestAck, relayFactor, timeout);
    }

    public QueryParams withFilterTags(Map<String, String> tags) {
        return new QueryParams(filterNodes, tags, requestAck, relayFactor, timeout);
    }

    public QueryParams withRequestAck(boolean ack) {
        return new QueryParams(filterNodes, filterTags, ack, relayFactor, timeout);
    }

    public QueryParams withRelayFactor(int r) {
        return new QueryParams(filterNodes, filterTags, requestAck, r, timeout);
    }

    public QueryParams withTimeout(Duration t) {
        return new QueryParams(filterNodes, filterTags, requestAck, relayFactor, t);
    }

    /** The filters in serf's order: the node filter first, then one tag filter per entry. */
    public List<QueryFilter> filters() {
        List<QueryFilter> out = new ArrayList<>();
        if (!filterNodes.isEmpty()) {
            out.add(new QueryFilter.Nodes(filterNodes));
        }
        filterTags.forEach((tag, expr) -> out.add(new QueryFilter.Tag(tag, expr)));
        return out;
    }

    /** The wire form of {@link #filters()}, null when there are none (Go's nil slice). */
    public List<byte[]> encodedFilters() {
        List<QueryFilter> f = filters();
        if (f.isEmpty()) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(f.size());
        for (QueryFilter q : f) {
            out.add(q.encode());
        }
        return out;
    }

    /** True if a node with this name and these tags would answer. */
    public boolean matches(String nodeName, Map<String, String> tags) {
        for (QueryFilter f : filters()) {
            if (!f.matches(nodeName, tags)) {
                return false;
            }
        }
        return true;
    }
}
