package dev.rumor.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The RPC {@code query} request body.
 *
 * @param filterNodes only these nodes answer (empty = all)
 * @param filterTags  tag → anchored regexp; only matching nodes answer
 * @param requestAck  ask every receiving node for an ack
 * @param relayFactor how many extra nodes relay each response (0..255)
 * @param timeout     zero = the agent's default (serf's formula)
 */
public record QueryRequest(List<String> filterNodes, Map<String, String> filterTags, boolean requestAck,
                           int relayFactor, Duration timeout, String name, byte[] payload) {

    Map<String, Object> toWire() {
        Map<String, Object> m = new TreeMap<>();
        m.put("FilterNodes", new ArrayList<Object>(filterNodes));
        m.put("FilterTags", new TreeMap<String, Object>(filterTags));
        m.put("Name", name);
        m.put("Payload", payload);
        m.put("RelayFactor", relayFactor);
        m.put("RequestAck", requestAck);
        m.put("Timeout", timeout.toNanos());
        return m;
    }

    public static QueryRequest fromWire(Map<String, Object> m) {
        List<String> nodes = new ArrayList<>();
        for (Object o : IpcCodec.list(m, "FilterNodes")) {
            nodes.add(o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o));
        }
        return new QueryRequest(nodes, IpcCodec.strMap(m, "FilterTags"), IpcCodec.bool(m, "RequestAck"),
                (int) IpcCodec.num(m, "RelayFactor"), Duration.ofNanos(IpcCodec.num(m, "Timeout")),
                IpcCodec.str(m, "Name"), IpcCodec.bytes(m, "Payload"));
    }
}
