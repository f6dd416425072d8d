package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import dev.rumor.msgpack.MsgpackException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster-wide key rotation (serf {@code keymanager.go}): sends a key-management internal query to every
 * member and aggregates the answers. Stops as soon as every alive member answered.
 *
 * <p>Thread contract: thread-safe; operations are serialized like serf's (one at a time).
 */
public final class KeyManager {
    /** Aggregated answers (serf {@code KeyResponse}). {@code error} is null on full success. */
    public record Result(int numNodes, int numResp, int numErr, Map<String, String> messages,
                         Map<String, Integer> keys, Map<String, Integer> primaryKeys, String error) {
    }

    private final Cluster cluster;
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    KeyManager(Cluster cluster) {
        this.cluster = cluster;
    }

    public CompletableFuture<Result> installKey(String base64Key) {
        return request(InternalQueries.INSTALL_KEY, base64Key, 0);
    }

    public CompletableFuture<Result> useKey(String base64Key) {
        return request(InternalQueries.USE_KEY, base64Key, 0);
    }

    public CompletableFuture<Result> removeKey(String base64Key) {
        return request(InternalQueries.REMOVE_KEY, base64Key, 0);
    }

    public CompletableFuture<Result> listKeys() {
        return request(InternalQueries.LIST_KEYS, "", 0);
    }

    /** Any of the above with a relay factor (serf {@code KeyRequestOptions}). */
    public synchronized CompletableFuture<Result> request(String queryName, String base64Key, int relayFactor) {
        CompletableFuture<Result> out = last.handle((v, e) -> null).thenCompose(v -> send(queryName, base64Key,
                relayFactor));
        last = out;
        return out;
    }

    private CompletableFuture<Result> send(String queryName, String base64Key, int relayFactor) {
        byte[] raw;
        try {
            raw = dev.rumor.security.GoBase64.decode(base64Key); // serf refuses bad base64 before asking anyone
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] req = SerfCodec.encode(new SerfMessage.KeyRequest(raw));
        int numNodes = cluster.memberlist().numMembers();
        return cluster.query(queryName, req, QueryParams.defaults().withRelayFactor(relayFactor))
                .thenCompose(QueryResponses::done)
                .thenApply(q -> aggregate(q, numNodes));
    }

    static Result aggregate(QueryResponses q, int numNodes) {
        Map<String, String> messages = new LinkedHashMap<>();
        Map<String, Integer> keys = new LinkedHashMap<>();
        Map<String, Integer> primaries = new LinkedHashMap<>();
        int numResp = 0;
        int numErr = 0;
        for (NodeResponse r : q.responses()) {
            numResp++;
            byte[] p = r.payload();
            if (p == null || p.length < 1 || p[0] != dev.rumor.cluster.wire.SerfMessageType.KEY_RESPONSE.code()) {
                messages.put(r.from(), "Invalid key query response type: " + render(p));
                numErr++;
                continue;
            }
            SerfMessage.KeyResponse kr;
            try {
                kr = (SerfMessage.KeyResponse) SerfCodec.decode(p);
            } catch (MsgpackException | ClassCastException e) {
                messages.put(r.from(), "Failed to decode key query response: " + render(p));
                numErr++;
                continue;
            }
            if (!kr.result()) {
                messages.put(r.from(), kr.message());
                numErr++;
            }
            if (kr.result() && !kr.message().isEmpty()) {
                messages.put(r.from(), kr.message());
            }
            if (kr.keys() != null) {
                for (String k : kr.keys()) {
                    keys.merge(k, 1, Integer::sum);
                }
            }
            primaries.merge(kr.primaryKey(), 1, Integer::sum);
        }
        String error = null;
        if (numErr != 0) {
            error = numErr + "/" + numNodes + " nodes reported failure";
        } else if (numResp != numNodes) {
            error = numResp + "/" + numNodes + " nodes reported success";
        }
        return new Result(numNodes, numResp, numErr, Collections.unmodifiableMap(messages),
                Collections.unmodifiableMap(keys), Collections.unmodifiableMap(primaries), error);
    }

    private static String render(byte[] p) {
        return p == null ? "[]" : "[" + HexFormat.of().formatHex(p) + "]";
    }
}
