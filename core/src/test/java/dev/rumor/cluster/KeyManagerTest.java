package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyManagerTest {

    private static QueryResponses answered(NodeResponse... rs) {
        QueryResponses q = new QueryResponses("_serf_list-keys", 1, 1, 0, 0, false, Set.of());
        for (NodeResponse r : rs) {
            q.addResponse(r);
        }
        return q;
    }

    private static byte[] key(boolean ok, String msg, List<String> keys, String primary) {
        return SerfCodec.encode(new SerfMessage.KeyResponse(ok, msg, keys, primary));
    }

    @Test
    void aggregatesLikeSerf() {
        KeyManager.Result r = KeyManager.aggregate(answered(
                new NodeResponse("a", key(true, "", List.of("K1", "K2"), "K1")),
                new NodeResponse("b", key(true, "note", List.of("K1"), "K1")),
                new NodeResponse("c", key(false, "boom", null, "")),
                new NodeResponse("d", new byte[] {5}),
                new NodeResponse("e", new byte[] {8, (byte) 0xc1})), 6);
        assertEquals(5, r.numResp());
        assertEquals(3, r.numErr());
        assertEquals(Map.of("K1", 2, "K2", 1), r.keys());
        assertEquals(Map.of("K1", 2, "", 1), r.primaryKeys());
        assertEquals("note", r.messages().get("b"));
        assertEquals("boom", r.messages().get("c"));
        assertTrue(r.messages().get("d").startsWith("Invalid key query response type: "));
        assertTrue(r.messages().get("e").startsWith("Failed to decode key query response: "));
        assertEquals("3/6 nodes reported failure", r.error());
    }

    @Test
    void missingAnswersAreReported() {
        KeyManager.Result r = KeyManager.aggregate(answered(new NodeResponse("a", key(true, "", null, "K"))), 2);
        assertEquals("1/2 nodes reported success", r.error());
        assertNull(KeyManager.aggregate(answered(new NodeResponse("a", key(true, "", null, "K"))), 1).error());
    }

    @Test
    void longKeyListsAreTruncatedToFitTheResponseLimit() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(String.format("%043d=", i));  // 44 chars, like a base64 32-byte key
        }
        byte[] payload = InternalQueries.fitKeyList(keys, keys.get(0), 1024, 5, 77, "node");
        byte[] whole = SerfCodec.encode(new SerfMessage.QueryResponse(5, 77, "node", 0, payload));
        assertTrue(whole.length <= 1024, "fits: " + whole.length);
        SerfMessage.KeyResponse kr = (SerfMessage.KeyResponse) SerfCodec.decode(payload);
        int shown = kr.keys().size();
        assertTrue(shown > 10 && shown < 40, "shown " + shown);
        assertEquals("truncated key list response, showing first " + shown + " of 40 keys", kr.message());
        assertEquals(keys.subList(0, shown), kr.keys());

        byte[] small = InternalQueries.fitKeyList(keys.subList(0, 3), keys.get(0), 1024, 5, 77, "node");
        assertEquals("", ((SerfMessage.KeyResponse) SerfCodec.decode(small)).message());
    }
}
