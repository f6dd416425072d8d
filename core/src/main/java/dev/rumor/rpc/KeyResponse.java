package dev.rumor.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Result of a key command (install/use/remove/list), aggregated over the cluster as serf's KeyManager does.
 *
 * @param error    the agent's error string ("" on success), e.g. "2/3 nodes reported failure"
 * @param messages node → error message, for nodes that failed
 * @param keys     base64 key → number of nodes that have it (list-keys only)
 */
public record KeyResponse(String error, Map<String, String> messages, Map<String, Integer> keys,
                          int numNodes, int numErr, int numResp) {

    static KeyResponse fromWire(Map<String, Object> m, String error) {
        Map<String, Integer> keys = new LinkedHashMap<>();
        IpcCodec.map(m, "Keys").forEach((k, v) -> keys.put(k, v instanceof Number n ? n.intValue() : 0));
        return new KeyResponse(error, IpcCodec.strMap(m, "Messages"), keys, (int) IpcCodec.num(m, "NumNodes"),
                (int) IpcCodec.num(m, "NumErr"), (int) IpcCodec.num(m, "NumResp"));
    }

    /** The wire body; {@code Keys} is nil unless listing, as serf sends it. */
    public Map<String, Object> toWire(boolean listing) {
        Map<String, Object> m = new TreeMap<>();
        m.put("Keys", listing ? new LinkedHashMap<String, Object>(keys) : null);
        m.put("Messages", new LinkedHashMap<String, Object>(messages));
        m.put("NumErr", numErr);
        m.put("NumNodes", numNodes);
        m.put("NumResp", numResp);
        return m;
    }
}
