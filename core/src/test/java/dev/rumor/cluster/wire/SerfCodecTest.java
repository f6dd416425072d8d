package dev.rumor.cluster.wire;

import static dev.rumor.cluster.wire.Hex.bytes;
import static dev.rumor.cluster.wire.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.cluster.wire.SerfMessage.ConflictResponse;
import dev.rumor.cluster.wire.SerfMessage.EventEntry;
import dev.rumor.cluster.wire.SerfMessage.EventSlot;
import dev.rumor.cluster.wire.SerfMessage.Join;
import dev.rumor.cluster.wire.SerfMessage.KeyRequest;
import dev.rumor.cluster.wire.SerfMessage.KeyResponse;
import dev.rumor.cluster.wire.SerfMessage.Leave;
import dev.rumor.cluster.wire.SerfMessage.MemberInfo;
import dev.rumor.cluster.wire.SerfMessage.PushPull;
import dev.rumor.cluster.wire.SerfMessage.Query;
import dev.rumor.cluster.wire.SerfMessage.QueryResponse;
import dev.rumor.cluster.wire.SerfMessage.Relay;
import dev.rumor.cluster.wire.SerfMessage.UserEvent;
import dev.rumor.msgpack.MsgpackException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Byte-exact vectors from real serf 0.9.4 traffic (wire-protocol.md §2.7, §3.2, §7.1, §7.7-§7.9). */
class SerfCodecTest {
    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    private static void assertVector(SerfMessage m, String spec) throws MsgpackException {
        byte[] expected = bytes(spec);
        assertEquals(hex(expected), hex(SerfCodec.encode(m)), "encode " + m.type());
        SerfMessage back = SerfCodec.decode(expected);
        assertEquals(hex(expected), hex(SerfCodec.encode(back)), "decode+encode " + m.type());
    }

    @Test
    void typeCodesMatchSerfMessagesGo() {
        int i = 0;
        for (SerfMessageType t : SerfMessageType.values()) {
            assertEquals(i++, t.code(), t.name());
            assertEquals(t, SerfMessageType.of(t.code()));
        }
        assertNull(SerfMessageType.of(10));
        assertNull(SerfMessageType.of(255));
    }

    @Test
    void joinIntentVector() throws MsgpackException {
        // §2.7 "Gossip with CRC, carrying one serf join intent", after "0c aada2b16 08"
        assertVector(new Join(1, "beta"), "01 82 a5 4c54696d65 01  a4 4e6f6465 a4 62657461");
        assertEquals(new Join(1, "beta"), SerfCodec.decode(bytes("01 82 a5\"LTime\" 01 a4\"Node\" a4\"beta\"")));
    }

    @Test
    void leaveIntentVector() throws MsgpackException {
        assertVector(new Leave(7, "beta", false), "00 83 a5\"LTime\" 07 a4\"Node\" a4\"beta\" a5\"Prune\" c2");
    }

    @Test
    void userEventVector() throws MsgpackException {
        UserEvent e = new UserEvent(3, "monev", "pp".getBytes(StandardCharsets.UTF_8), true);
        assertVector(e, "03 84 a2\"CC\" c3 a5\"LTime\" 03 a4\"Name\" a5\"monev\" a7\"Payload\" a2\"pp\"");
        assertEquals(e, SerfCodec.decode(SerfCodec.encode(e)));
        assertVector(new UserEvent(1, "x", null, false),
                "03 84 a2\"CC\" c2 a5\"LTime\" 01 a4\"Name\" a1\"x\" a7\"Payload\" c0");
    }

    @Test
    void queryVector() throws MsgpackException {
        Query q = new Query(4, 0x279dd380L, LOCALHOST, 17946, "alpha", null, SerfMessage.QUERY_FLAG_ACK, 0,
                Duration.ofMillis(3200), "_serf_ping", null);
        assertVector(q, "04 8b a4\"Addr\" a4 7f000001 a7\"Filters\" c0 a5\"Flags\" 01 a2\"ID\" ce 279dd380"
                + " a5\"LTime\" 04 a4\"Name\" aa\"_serf_ping\" a7\"Payload\" c0 a4\"Port\" cd 461a ab\"RelayFactor\" 00"
                + " aa\"SourceNode\" a5\"alpha\" a7\"Timeout\" ce bebc2000");
        Query d = (Query) SerfCodec.decode(SerfCodec.encode(q));
        assertTrue(d.ack());
        assertFalse(d.noBroadcast());
        assertEquals(Duration.ofMillis(3200), d.timeout());
        assertEquals(0x279dd380L, d.id());
        assertArrayEquals(LOCALHOST, d.addr());
        assertNull(d.filters());
    }

    @Test
    void queryWithFiltersRoundTrips() throws MsgpackException {
        List<byte[]> filters = List.of(bytes("00 91 a5\"gamma\""),
                bytes("01 82 a4\"Expr\" a6\"cach.*\" a3\"Tag\" a4\"role\""));
        Query q = new Query(9, 0xffffffffL, LOCALHOST, 7946, "alpha", filters,
                SerfMessage.QUERY_FLAG_NO_BROADCAST, 3, Duration.ofSeconds(20), "deploy", new byte[0]);
        Query d = (Query) SerfCodec.decode(SerfCodec.encode(q));
        assertEquals(2, d.filters().size());
        assertArrayEquals(filters.get(1), d.filters().get(1));
        assertEquals(0xffffffffL, d.id());
        assertTrue(d.noBroadcast());
        assertEquals(3, d.relayFactor());
        assertArrayEquals(new byte[0], d.payload());
        assertArrayEquals(SerfCodec.encode(q), SerfCodec.encode(d));
    }

    @Test
    void queryAckAndResponseVectors() throws MsgpackException {
        assertVector(new QueryResponse(1, 0x4f6730dbL, "beta", SerfMessage.QUERY_FLAG_ACK, null),
                "05 85 a5\"Flags\" 01 a4\"From\" a4\"beta\" a2\"ID\" ce 4f6730db a5\"LTime\" 01 a7\"Payload\" c0");
        QueryResponse resp = new QueryResponse(1, 17, "gamma", 0,
                "resp-from-gamma:ping-me\n".getBytes(StandardCharsets.UTF_8));
        assertVector(resp, "05 85 a5\"Flags\" 00 a4\"From\" a5\"gamma\" a2\"ID\" 11 a5\"LTime\" 01"
                + " a7\"Payload\" b8 \"resp-from-gamma:ping-me\" 0a");
        assertEquals(resp, SerfCodec.decode(SerfCodec.encode(resp)));
        assertFalse(resp.ack());
    }

    @Test
    void relayedAckVector() throws MsgpackException {
        String real = "080982a8446573744164647283a24950a47f000001a4506f7274cd463da45a6f6e65a0a8446573744e616d65a2723105"
                + "85a5466c61677301a446726f6da27231a24944ce17af9bdaa54c54696d6501a75061796c6f6164c0";
        byte[] wire = bytes(real.substring(2)); // without the memberlist user-message byte 08
        Relay r = (Relay) SerfCodec.decode(wire);
        assertArrayEquals(LOCALHOST, r.destAddr());
        assertEquals(17981, r.destPort());
        assertEquals("", r.destZone());
        assertEquals("r1", r.destName());
        QueryResponse inner = (QueryResponse) SerfCodec.decode(r.message());
        assertEquals(new QueryResponse(1, 0x17af9bdaL, "r1", 1, null), inner);
        Relay built = new Relay(LOCALHOST, 17981, "", "r1", SerfCodec.encode(inner));
        assertEquals(hex(wire), hex(SerfCodec.encode(built)));
    }

    @Test
    void conflictResponseVector() throws MsgpackException {
        String real = "068ba441646472a47f000001ab44656c656761746543757205ab44656c65676174654d617805ab44656c65676174"
                + "654d696e02a44e616d65a27233a4506f7274cd463fab50726f746f636f6c43757202ab50726f746f636f6c4d617805ab"
                + "50726f746f636f6c4d696e01a653746174757301a45461677380";
        MemberInfo m = new MemberInfo("r3", LOCALHOST, 17983, Map.of(), 1, 1, 5, 2, 2, 5, 5);
        assertVector(new ConflictResponse(m), real);
        ConflictResponse c = (ConflictResponse) SerfCodec.decode(bytes(real));
        assertEquals("r3", c.member().name());
        assertEquals(17983, c.member().port());
        assertVector(new ConflictResponse(null), "06 c0");
        assertNull(((ConflictResponse) SerfCodec.decode(bytes("06 c0"))).member());
    }

    @Test
    void keyRequestAndResponseVectors() throws MsgpackException {
        assertVector(new KeyRequest(new byte[0]), "07 81 a3\"Key\" a0");
        assertVector(new KeyResponse(false, "Removing the primary key is not allowed", null, ""),
                "08 84 a4\"Keys\" c0 a7\"Message\" da0027 \"Removing the primary key is not allowed\""
                        + " aa\"PrimaryKey\" a0 a6\"Result\" c2");
        KeyResponse ok = new KeyResponse(true, "", List.of("a2V5MQ==", "a2V5Mg=="), "a2V5MQ==");
        assertEquals(ok, SerfCodec.decode(SerfCodec.encode(ok)));
    }

    /** §3.2: the 588 bytes of serf user state in beta's real join push/pull. */
    static final String REAL_PUSH_PULL_HEAD = "02 86 aa\"EventLTime\" 01 a6\"Events\" dc 0200";
    static final String REAL_PUSH_PULL_TAIL =
            "a5\"LTime\" 01 ab\"LeftMembers\" 90 aa\"QueryLTime\" 01 ac\"StatusLTimes\" 81 a4\"beta\" 00";

    static byte[] realPushPull() {
        return bytes(REAL_PUSH_PULL_HEAD + " " + "c0".repeat(512) + " " + REAL_PUSH_PULL_TAIL);
    }

    @Test
    void realPushPullDecodesAndReencodesIdentically() throws MsgpackException {
        byte[] real = realPushPull();
        assertEquals(588, real.length);
        PushPull p = (PushPull) SerfCodec.decode(real);
        assertEquals(1, p.ltime());
        assertEquals(1, p.eventLTime());
        assertEquals(1, p.queryLTime());
        assertEquals(Map.of("beta", 0L), p.statusLTimes());
        assertEquals(List.of(), p.leftMembers());
        assertEquals(512, p.events().size());
        assertTrue(p.events().stream().allMatch(e -> e == null));

        PushPull built = new PushPull(1, Map.of("beta", 0L), List.of(), 1,
                Collections.nCopies(512, (EventSlot) null), 1);
        assertEquals(hex(real), hex(SerfCodec.encode(built)));
    }

    @Test
    void pushPullWithEventsAndTombstonesRoundTrips() throws MsgpackException {
        List<EventSlot> ring = new ArrayList<>(Collections.nCopies(4, (EventSlot) null));
        ring.set(1, new EventSlot(5, List.of(new EventEntry("deploy", "v2".getBytes(StandardCharsets.UTF_8)),
                new EventEntry("noop", null))));
        PushPull p = new PushPull(9, Map.of("zed", 4L, "alpha", 3L, "Beta", 1L), List.of("zed"), 6, ring, 2);
        byte[] enc = SerfCodec.encode(p);
        PushPull d = (PushPull) SerfCodec.decode(enc);
        assertEquals(p.statusLTimes(), d.statusLTimes());
        assertEquals(List.of("zed"), d.leftMembers());
        assertEquals(ring, d.events());
        assertArrayEquals(enc, SerfCodec.encode(d));
        // Go map keys sorted byte-wise: "Beta" < "alpha" < "zed"
        String h = hex(enc);
        assertTrue(h.indexOf(hex("Beta".getBytes())) < h.indexOf(hex("alpha".getBytes())));
        // slot = {"Events": [...], "LTime": 5}
        assertTrue(h.contains(hex(bytes("82 a6\"Events\" 92 82 a4\"Name\" a6\"deploy\" a7\"Payload\" a2\"v2\""))));
    }

    @Test
    void pushPullAcceptsAShortOrNilEventsArray() throws MsgpackException {
        PushPull p = (PushPull) SerfCodec.decode(bytes("02 82 a5\"LTime\" 03 a6\"Events\" c0"));
        assertEquals(3, p.ltime());
        assertEquals(List.of(), p.events());
        assertEquals(Map.of(), p.statusLTimes());
    }

    @Test
    void everyTypeRoundTrips() throws MsgpackException {
        List<SerfMessage> all = List.of(
                new Leave(1, "a", true), new Join(2, "b"),
                new PushPull(1, Map.of(), List.of(), 0, List.of(), 0),
                new UserEvent(3, "e", new byte[] {1}, false),
                new Query(4, 1, LOCALHOST, 1, "s", null, 0, 0, Duration.ZERO, "q", null),
                new QueryResponse(4, 1, "s", 0, new byte[] {2}),
                new ConflictResponse(null), new KeyRequest(new byte[16]),
                new KeyResponse(true, "m", null, ""), new Relay(LOCALHOST, 1, "", "n", new byte[] {5, (byte) 0x80}));
        Set<SerfMessageType> seen = EnumSet.noneOf(SerfMessageType.class);
        for (SerfMessage m : all) {
            byte[] enc = SerfCodec.encode(m);
            assertEquals(m.type().code(), enc[0]);
            assertArrayEquals(enc, SerfCodec.encode(SerfCodec.decode(enc)), m.type().name());
            seen.add(m.type());
        }
        assertEquals(EnumSet.allOf(SerfMessageType.class), seen);
    }

    @Test
    void decodingIsLenientAboutOrderUnknownKeysAndModernEncodings() throws MsgpackException {
        // reversed key order, an unknown key, str8 (d9) name, bin8 (c4) payload, bool as fixint 1
        byte[] b = bytes("03 85 a7\"Payload\" c4 01 ff a5\"Extra\" 92 01 02 a4\"Name\" d9 02 \"ev\""
                + " a5\"LTime\" cf 0000000000000009 a2\"CC\" 01");
        assertEquals(new UserEvent(9, "ev", new byte[] {(byte) 0xff}, true), SerfCodec.decode(b));
    }

    @Test
    void malformedInputFailsWithMsgpackExceptionOnly() {
        assertThrows(MsgpackException.class, () -> SerfCodec.decode(new byte[0]));
        assertNull(assertDoesNotThrowUnknown(), "unknown type → null");
        byte[] good = SerfCodec.encode(new Query(4, 1, LOCALHOST, 1, "s", null, 0, 0, Duration.ZERO, "q", null));
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            assertThrows(MsgpackException.class, () -> SerfCodec.decode(truncated), "cut at " + cut);
        }
        assertThrows(MsgpackException.class, () -> SerfCodec.decode(bytes("05 81 a4\"From\" 05")));
        assertThrows(MsgpackException.class, () -> SerfCodec.decode(bytes("04 81 a4\"Port\" ce 00010000")),
                "port above u16");
    }

    private static SerfMessage assertDoesNotThrowUnknown() {
        try {
            return SerfCodec.decode(new byte[] {42, (byte) 0x80});
        } catch (MsgpackException e) {
            throw new AssertionError(e);
        }
    }
}
